import { createPrivateKey, KeyObject, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { CompactSign } from "jose";
import { Clock, systemClock } from "../clock.js";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";

/**
 * Gives a fresh client assertion (RFC 7523 §2.2) each time it is called: what TokenProvider's
 * `clientAssertion` takes to log in an agent that has no client secret. Asked once per login request, never to
 * refresh (the refresh token carries the session).
 */
export type ClientAssertion = () => string | Promise<string>;

/** The `client_assertion_type` of a JWT assertion (RFC 7523 §2.2). */
export const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Where a Kubernetes pod gets a projected service-account token audienced to the broker (as the CLI looks). */
export const KUBERNETES_TOKEN = "/var/run/secrets/tokens/mayfly";
/** How long a self-signed assertion lives: long enough for clock skew, short enough to be useless later. */
const LIFETIME_S = 60;

/**
 * The assertions of the Java SDK's ClientAssertions and of `mayfly auth login --federated|--assertion-file|
 * --private-key`: a `private_key_jwt` signed by the agent's own key, or a workload token of a federated OIDC
 * issuer (a file, GitHub Actions' token service, a Kubernetes projected service-account token). Assertions are
 * credentials: never logged, never part of an error message.
 */
export const ClientAssertions = {
  /**
   * Fresh `private_key_jwt` assertions, one per call: `iss` = `sub` = the client id, `aud` = the broker's issuer
   * URL, a random `jti`, one minute of life, signed by `privateKey` (whose public half is registered with the
   * agent: `mayfly agent create --public-key`). The key is a private JWK (object or JSON) or a PEM `PRIVATE KEY`
   * (PKCS #8): Ed25519 (`EdDSA`), EC P-256/384/521 (`ES256/384/512`) or RSA ≥ 2048 bits (`RS256`). A key that
   * cannot be used is a USAGE error at once, not at the first login.
   */
  privateKeyJwt(clientId: string, privateKey: string | Record<string, unknown>, broker: string, options: { clock?: Clock } = {}): ClientAssertion {
    const key = signingKey(privateKey);
    const clock = options.clock ?? systemClock;
    const aud = broker.replace(/\/+$/, "");
    return () => {
      const now = Math.floor(clock.now() / 1000);
      const claims = { iss: clientId, sub: clientId, aud, iat: now, exp: now + LIFETIME_S, jti: randomBytes(16).toString("base64url") };
      return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: key.alg, typ: "JWT", ...(key.kid ? { kid: key.kid } : {}) })
        .sign(key.key);
    };
  },

  /** The token in `path`, read again on every login (the platform renews it in place), whitespace trimmed. */
  fromFile(path: string): ClientAssertion {
    return () => readToken(path);
  },

  /** A Kubernetes projected service-account token (default path `/var/run/secrets/tokens/mayfly`). */
  kubernetes(path: string = KUBERNETES_TOKEN): ClientAssertion {
    return () => readToken(path);
  },

  /**
   * GitHub Actions' OIDC token for the broker: GET `$ACTIONS_ID_TOKEN_REQUEST_URL` with `audience=` the broker's
   * issuer URL, bearing `$ACTIONS_ID_TOKEN_REQUEST_TOKEN` (the job needs `permissions: id-token: write`). A new
   * token per login.
   */
  githubActions(audience: string, options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch; timeoutMs?: number } = {}): ClientAssertion {
    const env = options.env ?? process.env;
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const token = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    if (!url || !token) {
      throw new MayflyError({
        code: "PRECONDITION",
        message: "Not in a GitHub Actions job with 'permissions: id-token: write': ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN are not set.",
      });
    }
    return () => actionsToken(url, token, audience.replace(/\/+$/, ""), options.fetch ?? globalThis.fetch, options.timeoutMs ?? 30_000);
  },

  /**
   * The platform's workload token, looked for as `mayfly auth login --federated` does: `$MAYFLY_ASSERTION_FILE`,
   * else GitHub Actions (audience = `broker`), else the Kubernetes projected token. None found: PRECONDITION
   * naming the places.
   */
  federated(broker: string, options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch; kubernetesPath?: string } = {}): ClientAssertion {
    const env = options.env ?? process.env;
    if (env.MAYFLY_ASSERTION_FILE) return ClientAssertions.fromFile(env.MAYFLY_ASSERTION_FILE);
    if (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
      return ClientAssertions.githubActions(broker, { env, fetch: options.fetch });
    }
    const k8s = options.kubernetesPath ?? KUBERNETES_TOKEN;
    if (existsSync(k8s)) return ClientAssertions.kubernetes(k8s);
    throw new MayflyError({
      code: "PRECONDITION",
      message: `No workload token found: set MAYFLY_ASSERTION_FILE, run in GitHub Actions with 'permissions: id-token: write', or mount a projected service-account token at ${k8s}.`,
      details: {
        auth_methods: [
          { type: "env_var", name: "MAYFLY_ASSERTION_FILE" },
          { type: "env_var", name: "ACTIONS_ID_TOKEN_REQUEST_URL" },
          { type: "file", path: k8s },
        ],
      },
    });
  },
};

function readToken(path: string): string {
  let token: string;
  try {
    token = readFileSync(path, "utf8").trim();
  } catch {
    throw new MayflyError({ code: "PRECONDITION", message: `Cannot read the client assertion from ${path}.` });
  }
  if (token === "") throw new MayflyError({ code: "PRECONDITION", message: `${path} is empty; expected a JWT.` });
  return token;
}

async function actionsToken(requestUrl: string, requestToken: string, audience: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<string> {
  const url = `${requestUrl}${requestUrl.includes("?") ? "&" : "?"}audience=${encodeURIComponent(audience)}`;
  let response: Response;
  let body: unknown = null;
  try {
    response = await fetchImpl(url, {
      headers: { Authorization: `Bearer ${requestToken}`, Accept: "application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 200) body = await response.json().catch(() => null);
    else await response.body?.cancel();
  } catch (e) {
    throw new MayflyError({
      code: "UNAVAILABLE",
      message: `GitHub Actions' token service did not answer (${e instanceof Error ? e.name : "error"}).`,
      retryAfterMs: 1000,
    });
  }
  if (!isObject(body) || typeof body.value !== "string" || body.value === "") {
    throw new MayflyError({
      code: "PRECONDITION",
      message: `GitHub Actions' token service answered ${response.status} without a token; does the job have 'permissions: id-token: write'?`,
    });
  }
  return body.value;
}

interface SigningKey {
  key: KeyObject;
  alg: string;
  kid: string | null;
}

/** A private key and the JWS algorithm it signs with (RFC 7518 §3, RFC 8037), as the Java SDK reads one. */
function signingKey(text: string | Record<string, unknown>): SigningKey {
  let key: KeyObject;
  let kid: string | null = null;
  try {
    if (typeof text !== "string" || text.trim().startsWith("{")) {
      const jwk: unknown = typeof text === "string" ? JSON.parse(text) : text;
      if (!isObject(jwk) || typeof jwk.d !== "string") throw new Error("the JWK holds no private key (d)");
      kid = typeof jwk.kid === "string" ? jwk.kid : null;
      key = createPrivateKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" });
    } else if (text.trim().startsWith("-----BEGIN PRIVATE KEY-----")) {
      key = createPrivateKey({ key: text.trim(), format: "pem" });
    } else {
      throw new Error("the private key must be a JWK (JSON with d) or a PEM 'PRIVATE KEY' (PKCS #8)");
    }
  } catch (e) {
    throw new MayflyError({ code: "USAGE", message: `The private key cannot be read: ${e instanceof SyntaxError ? "not JSON" : (e as Error).message}.` });
  }
  const d = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case "ed25519":
      return { key, alg: "EdDSA", kid };
    case "ec": {
      const alg = { prime256v1: "ES256", secp384r1: "ES384", secp521r1: "ES512" }[d.namedCurve ?? ""];
      if (alg) return { key, alg, kid };
      break;
    }
    case "rsa":
      if ((d.modulusLength ?? 0) >= 2048) return { key, alg: "RS256", kid };
      throw new MayflyError({ code: "USAGE", message: "An RSA key must have at least 2048 bits." });
  }
  throw new MayflyError({ code: "USAGE", message: "Unsupported private key: use Ed25519, EC P-256/P-384/P-521 or RSA ≥ 2048." });
}

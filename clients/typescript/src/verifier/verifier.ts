import { compactVerify, JWK } from "jose";
import { Clock, isoSeconds, systemClock } from "../clock.js";
import { MayflyError } from "../errors.js";
import { isObject } from "../jwt.js";
import { RemoteJwks } from "./jwks.js";
import { DpopProofOptions, DpopProofVerifier } from "./dpopProof.js";
import { DpopRefusal, underDpopScheme } from "./dpopFailure.js";
import { Rejection } from "./reason.js";
import { RevocationFeed } from "./revocationFeed.js";

/** The verified claims of an access token (RFC 9068, plus Mayfly's sid, task, tier). */
export interface VerifiedClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number | null;
  nbf: number | null;
  jti: string;
  sid: string;
  task: string | null;
  client_id: string | null;
  tier: string | null;
  scopes: string[];
  /** The thumbprint of the DPoP key the token is bound to (`cnf.jkt`, RFC 9449 §6.1), or null for a bearer token. */
  jkt: string | null;
  raw: Record<string, unknown>;
}

/** One request's credential, as `verifyRequest` reads it. */
export interface PresentedRequest {
  /** The `Authorization` header: `Bearer <token>` or `DPoP <token>`. */
  authorization: string | string[] | null | undefined;
  /** The `DPoP` header(s): more than one is refused. */
  dpop?: string | string[] | null;
  method: string;
  /** The request's absolute URL as the client addressed it (query and fragment are ignored). */
  url: string;
}

export type Decision = { ok: true; claims: VerifiedClaims } | { ok: false; error: MayflyError };

export interface VerifierOptions {
  /** The broker's issuer URL (its `iss`), e.g. http://127.0.0.1:8470. */
  issuer: string;
  /** This resource server's audience(s); a token must name one. Omit only with anyAudience. */
  audience?: string | string[];
  anyAudience?: boolean;
  /** Default: `${issuer}/jwks.json`. */
  jwksUri?: string;
  /** Accepted algorithms (default EdDSA and RS256). none and HMAC are never accepted. */
  algorithms?: string[];
  /** Clock leeway for exp, nbf and iat (default 30 s). */
  leewayMs?: number;
  /** Tokens longer than this are refused before any work (default 8 KiB). */
  maxTokenBytes?: number;
  /** The revocation feed; without one, revocations are not checked (the broker's /v1 still checks them). */
  revocations?: RevocationFeed;
  /** DPoP proof checks (RFC 9449): window, algorithms, server nonces, replay cache size; clock from here. */
  dpop?: Omit<DpopProofOptions, "clock">;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** How the token was presented, which decides what its binding (`cnf.jkt`) must be checked against. */
type Binding = (claims: VerifiedClaims) => Promise<void>;

const SUPPORTED = ["EdDSA", "Ed25519", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];
const FORBIDDEN = ["jku", "x5u", "jwk", "x5c", "crit", "b64", "cty", "zip", "enc"];
const MAX_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/**
 * Verifies Mayfly access tokens for a resource server, offline (JWKS), as the Java mayfly-verifier does and
 * with the same rejection codes: structure, then the header (algorithm allow-list, at+jwt, no key-location
 * headers, a kid), the key (unknown kid re-fetched, key must fit the algorithm), the signature (by `jose`),
 * issuer, audience and claims; then time, revocation, expiry, scopes. Expiry is reported only after the
 * signature verified, so a forged old token is CREDENTIALS_INVALID, never CREDENTIALS_EXPIRED.
 */
export class Verifier {
  private readonly audiences: string[];
  private readonly algorithms: Set<string>;
  private readonly clock: Clock;
  private readonly jwks: RemoteJwks;
  readonly issuer: string;
  /** The DPoP proof checks of `verifyDpop` and `verifyRequest`. */
  readonly dpop: DpopProofVerifier;

  constructor(private readonly o: VerifierOptions) {
    this.issuer = o.issuer;
    this.audiences = o.audience === undefined ? [] : Array.isArray(o.audience) ? o.audience : [o.audience];
    if (this.audiences.length === 0 && !o.anyAudience) throw new RangeError("give an audience, or anyAudience: true");
    const algs = o.algorithms ?? ["EdDSA", "RS256"];
    for (const a of algs) {
      if (a.toLowerCase() === "none" || a.toLowerCase().startsWith("hs")) {
        throw new RangeError(`algorithm ${a} is never accepted: a verifier of public-key signatures must refuse none and HMAC`);
      }
      if (!SUPPORTED.includes(a)) throw new RangeError(`unsupported algorithm ${a}; supported: ${SUPPORTED.join(", ")}`);
    }
    this.algorithms = new Set(algs);
    this.clock = o.clock ?? systemClock;
    this.dpop = new DpopProofVerifier({ ...o.dpop, clock: this.clock });
    this.jwks = new RemoteJwks(o.jwksUri ?? o.issuer.replace(/\/+$/, "") + "/jwks.json", this.clock, o.fetch ?? globalThis.fetch);
  }

  /** JWKS fetch attempts so far: stays put while cached keys serve (for tests and metrics). */
  get jwksFetches(): number {
    return this.jwks.attempts;
  }

  /**
   * Verifies a bearer token and checks it holds every one of `requiredScopes`. A DPoP-bound token is refused
   * here (no downgrade: a stolen copy would work as a plain bearer token). Never throws for a bad token.
   */
  verify(token: string | null | undefined, requiredScopes: string[] = []): Promise<Decision> {
    return this.pipeline(token, requiredScopes, false, async (claims) => {
      if (claims.jkt !== null) throw new DpopRefusal("BOUND_AS_BEARER");
    });
  }

  /**
   * Verifies a token presented as `Authorization: DPoP <token>` with its proof (RFC 9449 §7.1): the proof must
   * pass every check for this method and URL, carry `ath`, and be signed by the key the token is bound to
   * (`cnf.jkt`); then the token as by `verify`. An unbound token is refused here (it is a Bearer token). Every
   * refusal is marked for the `WWW-Authenticate: DPoP` challenge (`failureResponse` renders it).
   */
  verifyDpop(token: string | null | undefined, proof: string | null | undefined, method: string, url: string,
    requiredScopes: string[] = []): Promise<Decision> {
    return this.pipeline(token, requiredScopes, true, async (claims) => {
      if (claims.jkt === null) throw new DpopRefusal("NOT_BOUND");
      const checked = await this.dpop.verify(proof, method, url, token as string);
      if (checked.jkt !== claims.jkt) throw new DpopRefusal("WRONG_KEY");
    });
  }

  /**
   * The credential of one request from its headers: `Bearer` as `verify` (a DPoP-bound token refused), `DPoP`
   * as `verifyDpop` with the request's one `DPoP` header.
   */
  verifyRequest(request: PresentedRequest, requiredScopes: string[] = []): Promise<Decision> {
    const header = Array.isArray(request.authorization) ? request.authorization[0] : request.authorization;
    const token = dpopToken(header);
    if (token === null) return this.verify(bearerToken(header), requiredScopes);
    const proofs = request.dpop == null ? [] : Array.isArray(request.dpop) ? request.dpop : [request.dpop];
    if (proofs.length > 1) return Promise.resolve({ ok: false, error: new DpopRefusal("MULTIPLE") });
    return this.verifyDpop(token, proofs[0], request.method, request.url, requiredScopes);
  }

  /** The pipeline: authenticity, then the presentation's binding, then time, revocation, expiry and scopes. */
  private async pipeline(token: string | null | undefined, requiredScopes: string[], dpopScheme: boolean, binding: Binding): Promise<Decision> {
    try {
      const claims = await this.authenticate(token);
      await binding(claims);
      const now = this.clock.now();
      const leeway = this.o.leewayMs ?? 30_000;
      if (claims.nbf !== null && claims.nbf * 1000 > now + leeway) throw new Rejection("NOT_YET_VALID");
      if (claims.iat !== null && claims.iat * 1000 > now + leeway) throw new Rejection("ISSUED_IN_THE_FUTURE");
      this.checkNotRevoked(claims);
      if (claims.exp * 1000 + leeway <= now) {
        const at = isoSeconds(claims.exp * 1000);
        throw new Rejection("EXPIRED", { message: `Access token expired at ${at}.`, expiredAt: at });
      }
      checkScopes(claims, requiredScopes);
      return { ok: true, claims };
    } catch (e) {
      const error = e instanceof MayflyError ? e : new Rejection("MALFORMED");
      // Under the DPoP scheme every refusal is challenged with DPoP (RFC 9449 §7.1), an expiry included.
      return { ok: false, error: dpopScheme ? underDpopScheme(error) : error };
    }
  }

  /** As verify, from an `Authorization` header value (`Bearer <token>`). */
  verifyAuthorization(header: string | null | undefined, requiredScopes: string[] = []): Promise<Decision> {
    return this.verify(bearerToken(header), requiredScopes);
  }

  private async authenticate(token: string | null | undefined): Promise<VerifiedClaims> {
    if (token == null || token.trim() === "") throw new Rejection("MISSING");
    if (token.length > (this.o.maxTokenBytes ?? 8192)) throw new Rejection("OVERSIZED");
    const header = compactHeader(token);
    const alg = typeof header.alg === "string" && this.algorithms.has(header.alg) ? header.alg : null;
    if (alg === null) throw new Rejection("ALGORITHM_NOT_ALLOWED");
    const typ = typeof header.typ === "string" ? header.typ.toLowerCase() : null;
    if (typ !== "at+jwt" && typ !== "application/at+jwt") throw new Rejection("WRONG_TYPE");
    for (const name of FORBIDDEN) if (name in header) throw new Rejection("FORBIDDEN_HEADER");
    if (typeof header.kid !== "string" || header.kid === "") throw new Rejection("NO_KEY_ID");
    let jwk: JWK | null;
    try {
      jwk = await this.jwks.key(header.kid);
    } catch (e) {
      throw new Rejection("KEYS_UNAVAILABLE", e instanceof MayflyError ? { message: e.message } : {});
    }
    if (jwk === null) throw new Rejection("UNKNOWN_KEY");
    const key = await this.keyFor(alg, jwk);
    let payload: Uint8Array;
    try {
      payload = (await compactVerify(token, key, { algorithms: [alg] })).payload;
    } catch {
      throw new Rejection("BAD_SIGNATURE");
    }
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
    } catch {
      throw new Rejection("MALFORMED_CLAIMS");
    }
    if (!isObject(raw)) throw new Rejection("MALFORMED_CLAIMS");
    if (raw.iss !== this.issuer) throw new Rejection("WRONG_ISSUER");
    const aud = raw.aud === undefined ? [] : typeof raw.aud === "string" ? [raw.aud] : raw.aud;
    if (!Array.isArray(aud) || !aud.every((a) => typeof a === "string")) throw new Rejection("MALFORMED_CLAIMS");
    if (!this.o.anyAudience && !aud.some((a) => this.audiences.includes(a))) {
      const expected = this.audiences[0];
      throw new Rejection("WRONG_AUDIENCE", { reauthCommand: reissueFor(raw.scope, expected), details: { expected_audience: expected } });
    }
    return claimsOf(raw, aud as string[]);
  }

  /** Pairs the algorithm with the key it names, refusing pairs that do not fit (algorithm confusion stops here). */
  private async keyFor(alg: string, jwk: JWK) {
    if (jwk.use !== undefined && jwk.use !== "sig") throw new Rejection("KEY_MISMATCH");
    const eddsa = alg === "EdDSA" || alg === "Ed25519";
    if (jwk.alg !== undefined && jwk.alg !== alg && !(eddsa && (jwk.alg === "EdDSA" || jwk.alg === "Ed25519"))) {
      throw new Rejection("KEY_MISMATCH");
    }
    const fits = eddsa
      ? jwk.kty === "OKP" && jwk.crv === "Ed25519"
      : jwk.kty === "RSA" && typeof jwk.n === "string" && Buffer.from(jwk.n, "base64url").length * 8 >= 2048;
    if (!fits) throw new Rejection("KEY_MISMATCH");
    try {
      return await this.jwks.importKey(jwk, eddsa ? "EdDSA" : alg);
    } catch {
      throw new Rejection("KEY_MISMATCH");
    }
  }

  private checkNotRevoked(claims: VerifiedClaims): void {
    const feed = this.o.revocations;
    if (!feed) return;
    let found;
    try {
      found = feed.find(claims);
    } catch {
      // Fail closed: a verifier that cannot tell whether a token was revoked does not accept it.
      throw new Rejection("REVOCATIONS_UNAVAILABLE");
    }
    if (found) {
      const reauth = found.kind === "token" ? "mayfly auth refresh" : found.kind === "session" ? "mayfly auth login" : null;
      throw new Rejection("REVOKED", {
        message: `Access token was revoked (${found.kind}).`,
        reauthCommand: reauth,
        details: { revoked: found.kind, ...(found.reason ? { reason: found.reason } : {}) },
      });
    }
  }
}

/** The token of an `Authorization: Bearer` header value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  return m ? m[1] : null;
}

/** The token of an `Authorization: DPoP` header value (RFC 9449 §7.1), or null. */
export function dpopToken(header: string | null | undefined): string | null {
  if (!header) return null;
  const m = /^DPoP[ ]+([^ ]+)[ ]*$/i.exec(header.trim());
  return m ? m[1] : null;
}

/** RFC 7515 §7.1 structure, canonical base64url parts, header a JSON object; checked before any key work. */
function compactHeader(token: string): Record<string, unknown> {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => p.length === 0 || !/^[A-Za-z0-9_-]+$/.test(p) || !canonical(p))) {
    throw new Rejection("MALFORMED");
  }
  try {
    const json = Buffer.from(parts[0], "base64url").toString("utf8");
    const header: unknown = json.startsWith("{") ? JSON.parse(json) : null;
    if (!isObject(header)) throw new Rejection("MALFORMED");
    return header;
  } catch {
    throw new Rejection("MALFORMED");
  }
}

/** Canonical unpadded base64url: a length whole bytes can have and the unused low bits of the last char zero. */
function canonical(p: string): boolean {
  const unused = [0, -1, 4, 2][p.length % 4];
  if (unused <= 0) return unused === 0;
  const c = p.charCodeAt(p.length - 1);
  const sextet = c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 71 : c >= 48 && c <= 57 ? c + 4 : c === 45 ? 62 : 63;
  return (sextet & ((1 << unused) - 1)) === 0;
}

function seconds(v: unknown, min: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > MAX_SECONDS) throw new Rejection("MALFORMED_CLAIMS");
  return v;
}

function required(raw: Record<string, unknown>, claim: string): string {
  const v = raw[claim];
  if (v === undefined || v === null) {
    throw new Rejection("MISSING_CLAIM", { message: `Access token lacks the required claim ${claim}.`, details: { claim } });
  }
  if (typeof v !== "string") throw new Rejection("MALFORMED_CLAIMS");
  return v;
}

function optionalString(raw: Record<string, unknown>, claim: string): string | null {
  const v = raw[claim];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw new Rejection("MALFORMED_CLAIMS");
  return v;
}

function claimsOf(raw: Record<string, unknown>, aud: string[]): VerifiedClaims {
  const exp = seconds(raw.exp, 1);
  const iat = seconds(raw.iat, 0);
  const nbf = seconds(raw.nbf, 0);
  if (exp === null) throw new Rejection("MISSING_CLAIM", { message: "Access token lacks the required claim exp.", details: { claim: "exp" } });
  // A token that expires before it was issued or became valid was never valid: garbled, not expired.
  if ((iat !== null && iat > exp) || (nbf !== null && nbf > exp)) throw new Rejection("MALFORMED_CLAIMS");
  const jti = required(raw, "jti");
  const sub = required(raw, "sub");
  const sid = required(raw, "sid");
  if (aud.length === 0) throw new Rejection("MISSING_CLAIM", { message: "Access token lacks the required claim aud.", details: { claim: "aud" } });
  const scope = optionalString(raw, "scope");
  const cnf = raw.cnf;
  if (cnf !== undefined && (!isObject(cnf) || (cnf.jkt !== undefined && (typeof cnf.jkt !== "string" || cnf.jkt === "")))) {
    throw new Rejection("MALFORMED_CLAIMS");
  }
  return {
    iss: raw.iss as string,
    sub,
    aud,
    exp,
    iat,
    nbf,
    jti,
    sid,
    task: optionalString(raw, "task"),
    client_id: optionalString(raw, "client_id"),
    tier: optionalString(raw, "tier"),
    scopes: scope === null ? [] : scope.split(" ").filter(Boolean),
    jkt: isObject(cnf) && typeof cnf.jkt === "string" ? cnf.jkt : null,
    raw,
  };
}

function checkScopes(claims: VerifiedClaims, requiredScopes: string[]): void {
  const required = [...new Set(requiredScopes)];
  if (required.length === 0) return;
  const missing = required.filter((s) => !claims.scopes.includes(s));
  if (missing.length > 0) {
    throw new Rejection("INSUFFICIENT_SCOPE", {
      message: `Access token lacks required scope: ${missing.join(" ")}.`,
      requiredScope: required.join(" "),
      missingScopes: missing,
    });
  }
}

const SHELL_SPECIAL = new Set("\"'\\$`;&|<>()*?[]{}~#!");

/** A value that can stand as one word of a command run verbatim: no quoting, nothing a shell expands. */
function plainWord(w: string): boolean {
  return w.length > 0 && [...w].every((c) => c.charCodeAt(0) > 0x20 && c.charCodeAt(0) < 0x7f && !SHELL_SPECIAL.has(c));
}

/**
 * `mayfly token issue --scope S... --audience A` with the token's own scopes: `--scope` is required, so a
 * command without it would fail when run as given; null when no scope is a plain word.
 */
function reissueFor(scope: unknown, audience: string): string | null {
  const scopes = typeof scope === "string" ? scope.split(/ +/).filter(plainWord) : [];
  if (scopes.length === 0 || !plainWord(audience)) return null;
  return `mayfly token issue ${scopes.map((s) => `--scope ${s}`).join(" ")} --audience ${audience}`;
}

import { compactVerify, importJWK, JWK } from "jose";
import { Clock, systemClock } from "../clock.js";
import { normaliseTarget } from "../dpop/httpTarget.js";
import { accessTokenHash, jwkThumbprint } from "../dpop/jwkThumbprint.js";
import { isObject } from "../jwt.js";
import { DpopFailureReason, DpopRefusal } from "./dpopFailure.js";

/** Server-provided DPoP nonces (RFC 9449 §8, §9), as the Java verifier's DpopNonces. */
export interface DpopNonces {
  /** The nonce clients should put in their next proof. */
  current(): string;
  /** Whether `nonce` is one this server issued and still accepts. */
  accepts(nonce: string): boolean;
}

export interface DpopProofOptions {
  /** How far a proof's `iat` may be from now, either way (default 60 s). */
  windowMs?: number;
  /** Accepted proof algorithms (default EdDSA, Ed25519, ES256, RS256, PS256); only asymmetric ones. */
  algorithms?: string[];
  /** Demand a server nonce in every proof (default: none demanded). */
  nonces?: DpopNonces;
  /** At most this many recent proofs are remembered for replay detection (default 100 000). */
  replayCacheSize?: number;
  clock?: Clock;
}

/** A proof that passed every check: the key's thumbprint (to compare with the token's `cnf.jkt`). */
export interface DpopProof {
  jkt: string;
  jti: string;
  iat: number;
  alg: string;
}

const DEFAULT_ALGS = ["EdDSA", "Ed25519", "ES256", "RS256", "PS256"];
const ASYMMETRIC = /^(EdDSA|Ed25519|ES256|ES384|ES512|RS256|RS384|RS512|PS256|PS384|PS512)$/;
/** Longer proofs are refused before parsing: an RSA 4096 key and every claim fit in a tenth. */
const MAX_PROOF_CHARS = 8 * 1024;
/** A longer `jti` is refused, so the replay cache holds bounded entries. */
const MAX_JTI_CHARS = 256;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) as the Java verifier's DpopProofVerifier, same order and wording: one
 * well-formed JWS with `typ` `dpop+jwt`, an asymmetric `alg` from the allow-list, a `jwk` header that is a
 * public key fitting that `alg`, a valid signature by it, `htm` and `htu` of this request (`htu` compared
 * without query and fragment, normalised), the server nonce when one is demanded, an `iat` within the window,
 * with an access token `ath` equal to its SHA-256, and a `jti` not seen before.
 *
 * Replay: every accepted (jkt, jti) is remembered for twice the window (a proof outside it is refused on its
 * `iat` alone), bounded in count. The memory is this process's: RFC 9449 §11.1 accepts that trade; a
 * deployment that needs more demands nonces.
 */
export class DpopProofVerifier {
  private readonly windowMs: number;
  private readonly algorithms: Set<string>;
  private readonly clock: Clock;
  private readonly max: number;
  /** `jkt jti` → when it may be forgotten; insertion order is expiry order (one window for all). */
  private readonly seen = new Map<string, number>();

  constructor(private readonly o: DpopProofOptions = {}) {
    this.windowMs = o.windowMs ?? 60_000;
    if (!(this.windowMs > 0)) throw new RangeError("windowMs must be positive");
    const algs = o.algorithms ?? DEFAULT_ALGS;
    for (const a of algs) if (!ASYMMETRIC.test(a)) throw new RangeError(`not an asymmetric JWS algorithm: ${a}`);
    this.algorithms = new Set(algs);
    this.clock = o.clock ?? systemClock;
    this.max = o.replayCacheSize ?? 100_000;
  }

  /** The `algs` of a `WWW-Authenticate: DPoP` challenge. */
  get algs(): string[] {
    return [...this.algorithms].filter((a) => a !== "Ed25519");
  }

  /** The nonce clients should use now, or null when none is demanded. */
  currentNonce(): string | null {
    return this.o.nonces?.current() ?? null;
  }

  /**
   * Checks a proof for one request and records its `jti`; throws DpopRefusal (CREDENTIALS_INVALID naming the
   * failed check) otherwise.
   *
   * @param uri the request's absolute URI as the client addressed it (query and fragment are ignored)
   * @param accessToken the token sent with the proof (`ath` is then required), or null at a token endpoint
   */
  async verify(proof: string | null | undefined, method: string, uri: string, accessToken: string | null): Promise<DpopProof> {
    if (proof == null || proof.trim() === "") throw fail("MISSING");
    if (proof.includes(",")) throw fail("MULTIPLE");
    if (proof.length > MAX_PROOF_CHARS) throw fail("MALFORMED");
    const compact = proof.trim();
    const parts = compact.split(".");
    if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) throw fail("MALFORMED");
    const header = decodeJson(parts[0]);
    const claims = decodeJson(parts[1]);
    if (header === null || claims === null) throw fail("MALFORMED");
    const jwk = header.jwk;
    // RFC 9449 §4.3 step 7 names a private key in jwk as such, before anything else is read from it.
    if (isObject(jwk) && ("d" in jwk || "k" in jwk)) throw fail("PRIVATE_KEY");
    if (typeof header.typ !== "string" || header.typ.toLowerCase() !== "dpop+jwt") throw fail("WRONG_TYPE");
    const alg = header.alg;
    if (typeof alg !== "string" || !this.algorithms.has(alg)) throw fail("ALGORITHM");
    if (!isObject(jwk)) throw fail("NO_PUBLIC_KEY");
    await checkSignature(compact, alg, jwk as JWK);
    const { jti, iat, htm, htu } = claims;
    if (typeof jti !== "string" || jti === "" || jti.length > MAX_JTI_CHARS || typeof iat !== "number" || !Number.isFinite(iat)
      || typeof htm !== "string" || typeof htu !== "string") {
      throw fail("MISSING_CLAIM");
    }
    if (htm !== method) throw fail("WRONG_METHOD");
    const expected = normaliseTarget(uri);
    if (expected === null || expected !== normaliseTarget(htu)) throw fail("WRONG_URI");
    const nonces = this.o.nonces;
    if (nonces && (typeof claims.nonce !== "string" || !nonces.accepts(claims.nonce))) {
      throw new DpopRefusal("NONCE_REQUIRED", nonces.current());
    }
    const now = this.clock.now();
    const issued = Math.floor(iat) * 1000;
    if (issued < now - this.windowMs || issued > now + this.windowMs) throw fail("STALE");
    if (accessToken !== null) {
      if (typeof claims.ath !== "string") throw fail("MISSING_ATH");
      if (claims.ath !== accessTokenHash(accessToken)) throw fail("WRONG_ATH");
    }
    const jkt = jwkThumbprint(jwk);
    if (jkt === null) throw fail("NO_PUBLIC_KEY");
    // Recorded last, so that a proof refused for another reason does not burn its jti.
    this.forgetExpired(now);
    const id = `${jkt} ${jti}`;
    if (this.seen.has(id)) throw fail("REPLAYED");
    this.seen.set(id, now + 2 * this.windowMs + 1000);
    if (this.seen.size > this.max) this.seen.delete(this.seen.keys().next().value as string);
    return { jkt, jti, iat, alg };
  }

  private forgetExpired(now: number): void {
    for (const [id, until] of this.seen) {
      if (until > now) break;
      this.seen.delete(id);
    }
  }
}

function fail(reason: DpopFailureReason): DpopRefusal {
  return new DpopRefusal(reason);
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return isObject(v) ? v : null;
  } catch {
    return null;
  }
}

/** Algorithm confusion stops here: Ed25519 OKP for EdDSA, the curve of ES*, RSA of 2048 bits or more for RS/PS. */
function fits(alg: string, jwk: JWK): boolean {
  if (alg === "EdDSA" || alg === "Ed25519") return jwk.kty === "OKP" && jwk.crv === "Ed25519";
  const curve = { ES256: "P-256", ES384: "P-384", ES512: "P-521" }[alg];
  if (curve) return jwk.kty === "EC" && jwk.crv === curve;
  return jwk.kty === "RSA" && typeof jwk.n === "string" && Buffer.from(jwk.n, "base64url").length * 8 >= 2048;
}

async function checkSignature(compact: string, alg: string, jwk: JWK): Promise<void> {
  if (!fits(alg, jwk)) throw fail("KEY_MISMATCH");
  let key;
  try {
    const { alg: _a, use: _u, key_ops: _k, ext: _e, ...pub } = jwk;
    key = await importJWK(pub, alg);
  } catch {
    throw fail("NO_PUBLIC_KEY");
  }
  try {
    await compactVerify(compact, key, { algorithms: [alg] });
  } catch {
    throw fail("BAD_SIGNATURE");
  }
}

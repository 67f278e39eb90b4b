import { importJWK, JWK, KeyObject } from "jose";
import { Clock } from "../clock.js";
import { MayflyError } from "../errors.js";
import { readBounded } from "../http.js";
import { isObject } from "../jwt.js";

export const JWKS_MAX_BYTES = 512 * 1024;

interface Snapshot {
  keys: Map<string, JWK>;
  fetchedAt: number;
}

/**
 * The issuer's JWK Set (RFC 7517 §5) fetched from its `jwks_uri`, cached and kept fresh, as the Java
 * RemoteJwksSource: fetched on first use and again once older than the cache TTL; an unknown `kid` triggers a
 * re-fetch at most once per minimum interval (made-up key ids cannot make the verifier hammer the issuer); a
 * failed or malformed fetch keeps the keys already held; concurrent callers share one fetch. Before the first
 * good fetch, `key()` throws UNAVAILABLE. Redirects are not followed; the body is read at most 512 KiB.
 */
export class RemoteJwks {
  private snapshot: Snapshot | null = null;
  private lastAttempt: number | null = null;
  private inflight: Promise<void> | null = null;
  private readonly imported = new Map<string, KeyObject | Uint8Array>();
  /** Fetch attempts so far, for tests. */
  attempts = 0;

  constructor(
    private readonly uri: string,
    private readonly clock: Clock,
    private readonly fetchImpl: typeof fetch,
    private readonly cacheTtlMs = 5 * 60_000,
    private readonly minRefetchMs = 10_000,
    private readonly timeoutMs = 5_000,
  ) {
    if (!/^https?:\/\//i.test(uri)) throw new RangeError("JWKS URI must be http or https");
  }

  /** The JWK with this kid, or null when the issuer does not publish it. */
  async key(kid: string): Promise<JWK | null> {
    if (this.snapshot === null) {
      await this.fetchIfDue(true);
      if (this.snapshot === null) {
        throw new MayflyError({ code: "UNAVAILABLE", message: "The issuer's signing keys could not be fetched yet.", retryAfterMs: 1000 });
      }
    } else if (this.clock.now() >= this.snapshot.fetchedAt + this.cacheTtlMs) {
      void this.fetchIfDue(false); // a stale set still serves; refresh without making this caller wait
    }
    let jwk = (this.snapshot as Snapshot).keys.get(kid) ?? null;
    if (jwk === null) {
      await this.fetchIfDue(true);
      jwk = (this.snapshot as Snapshot).keys.get(kid) ?? null;
    }
    return jwk;
  }

  /** The imported key for a JWK and algorithm, cached per kid and algorithm. */
  async importKey(jwk: JWK, alg: string): Promise<KeyObject | Uint8Array> {
    const id = `${jwk.kid}|${alg}|${jwk.x ?? ""}${jwk.n ?? ""}`;
    let k = this.imported.get(id);
    if (k === undefined) {
      k = (await importJWK(jwk, alg)) as KeyObject | Uint8Array;
      this.imported.set(id, k);
    }
    return k;
  }

  private fetchIfDue(wait: boolean): Promise<void> {
    if (this.inflight) return wait ? this.inflight : Promise.resolve();
    const now = this.clock.now();
    if (this.lastAttempt !== null && now < this.lastAttempt + this.minRefetchMs) return Promise.resolve();
    this.lastAttempt = now;
    this.attempts++;
    this.inflight = this.fetchOnce().finally(() => {
      this.inflight = null;
    });
    return wait ? this.inflight : Promise.resolve();
  }

  private async fetchOnce(): Promise<void> {
    try {
      const r = await this.fetchImpl(this.uri, {
        headers: { Accept: "application/jwk-set+json, application/json" },
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const { text, truncated } = await readBounded(r, JWKS_MAX_BYTES);
      if (r.status !== 200 || truncated) return;
      const keys = parseJwks(text);
      if (keys !== null) this.snapshot = { keys, fetchedAt: this.clock.now() };
    } catch {
      // keep the keys held: verification survives an issuer outage
    }
  }
}

/** A JWK Set as kid → key; null when the document is not a JWK Set. Keys without a kid are unusable here. */
export function parseJwks(text: string): Map<string, JWK> | null {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(doc) || !Array.isArray(doc.keys)) return null;
  const out = new Map<string, JWK>();
  for (const k of doc.keys) {
    if (isObject(k) && typeof k.kty === "string" && typeof k.kid === "string" && k.kid !== "" && !("d" in k)) {
      out.set(k.kid, k as JWK);
    }
  }
  return out;
}

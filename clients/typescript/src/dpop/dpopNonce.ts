import { isObject } from "../jwt.js";

export const DPOP_NONCE_HEADER = "DPoP-Nonce";

/**
 * A server's demand for a DPoP nonce (RFC 9449 §8, §9), as the Java SDK's DpopNonce reads it: a `DPoP-Nonce`
 * header on a 400 from a token endpoint whose `error` is `use_dpop_nonce`, or on a 401 whose
 * `WWW-Authenticate: DPoP` challenge says `error="use_dpop_nonce"`. Such a request was not processed, so
 * sending it again with the nonce is safe. Returns the nonce, or null when none was demanded.
 */
export function demandedNonce(status: number, headers: Headers, body: string | null): string | null {
  const nonce = headers.get(DPOP_NONCE_HEADER);
  if (nonce === null || nonce === "") return null;
  if (status === 401) {
    const challenge = headers.get("WWW-Authenticate") ?? "";
    return /(^|,)\s*dpop\b/i.test(challenge) && /error\s*=\s*"?use_dpop_nonce"?/i.test(challenge) ? nonce : null;
  }
  if (status === 400 && body) {
    try {
      const json: unknown = JSON.parse(body);
      return isObject(json) && json.error === "use_dpop_nonce" ? nonce : null;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The last nonce each server handed out (RFC 9449 §8.2: a server may send a fresh one on any answer), keyed by
 * origin, so that proofs to a server carry its nonce from the start. Bounded: servers are few, but a caller
 * fetching from arbitrary hosts must not grow it forever.
 */
export class NonceMemory {
  private readonly nonces = new Map<string, string>();

  constructor(private readonly max = 256) {}

  get(url: string | URL): string | null {
    return this.nonces.get(new URL(String(url)).origin) ?? null;
  }

  /** Remembers the `DPoP-Nonce` of an answer from `url`, if it has one. */
  note(url: string | URL, headers: Headers): void {
    const n = headers.get(DPOP_NONCE_HEADER);
    if (n !== null && n !== "") this.set(url, n);
  }

  set(url: string | URL, nonce: string): void {
    const origin = new URL(String(url)).origin;
    this.nonces.delete(origin);
    this.nonces.set(origin, nonce);
    if (this.nonces.size > this.max) this.nonces.delete(this.nonces.keys().next().value as string);
  }
}

import { createHash } from "node:crypto";
import { isObject } from "../jwt.js";

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order. */
const REQUIRED: Record<string, readonly string[]> = {
  OKP: ["crv", "kty", "x"],
  EC: ["crv", "kty", "x", "y"],
  RSA: ["e", "kty", "n"],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url: the `cnf.jkt` of RFC 9449 §6.1. Synchronous (the
 * canonical JSON is built here) so that a key's thumbprint is a plain property. Null for a JWK lacking a member.
 */
export function jwkThumbprint(jwk: unknown): string | null {
  if (!isObject(jwk) || typeof jwk.kty !== "string") return null;
  const members = REQUIRED[jwk.kty];
  if (members === undefined) return null;
  const canonical: Record<string, string> = {};
  for (const m of members) {
    const v = jwk[m];
    if (typeof v !== "string" || v === "") return null;
    canonical[m] = v;
  }
  // JSON.stringify keeps insertion order, which is the lexicographic order above; no whitespace.
  return createHash("sha256").update(JSON.stringify(canonical), "utf8").digest("base64url");
}

/** RFC 9449 §4.2: `ath` is the base64url SHA-256 of the access token's ASCII bytes. */
export function accessTokenHash(accessToken: string): string {
  return createHash("sha256").update(accessToken, "ascii").digest("base64url");
}

/**
 * What a JWT says about itself, read WITHOUT verifying it: for refresh scheduling, hints and telling a
 * server's expiry answer from a denial; never for trust (the Verifier decides that). Mirrors the Java
 * SDK's UnverifiedJwt.
 */
const MAX_PART = 16_384;

export interface UnverifiedClaims {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

export function readUnverified(compact: string | null | undefined): UnverifiedClaims | null {
  if (typeof compact !== "string") return null;
  const parts = compact.trim().split(".");
  if (parts.length !== 3 || !parts[0] || !parts[1] || parts[0].length > MAX_PART || parts[1].length > MAX_PART) {
    return null;
  }
  try {
    const header = JSON.parse(Buffer.from(parts[0], "base64url").toString("utf8"));
    const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    if (!isObject(header) || !isObject(claims)) return null;
    return { header, claims };
  } catch {
    return null;
  }
}

/** `exp` in epoch milliseconds, or null. */
export function unverifiedExpiry(compact: string | null | undefined): number | null {
  const exp = readUnverified(compact)?.claims.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : null;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

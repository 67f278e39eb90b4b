import { unverifiedExpiry } from "../jwt.js";

/**
 * What the client knows of the credential it sent: nothing, that it sent none, or a token and (when known)
 * when it expires. Never holds the token itself.
 */
export interface SentCredential {
  readonly state: "unknown" | "none" | "token";
  /** Epoch milliseconds, when known. */
  readonly expiresAt: number | null;
}

/**
 * How a caller says what it sent: `"none"`, `"opaque"` (a token it cannot read), `{exp}` (an instant: ISO
 * string, Date, or epoch seconds as a number), `{jwt}` (a JWT whose `exp` is read without verifying it; the
 * token is not kept), or null/undefined/`"unknown"`.
 */
export type SentInput =
  | "none"
  | "opaque"
  | "unknown"
  | { exp: string | number | Date }
  | { jwt: string }
  | SentCredential
  | null
  | undefined;

export function sentCredential(input: SentInput): SentCredential {
  if (input == null || input === "unknown") return { state: "unknown", expiresAt: null };
  if (input === "none") return { state: "none", expiresAt: null };
  if (input === "opaque") return { state: "token", expiresAt: null };
  if ("state" in input) return input;
  if ("jwt" in input) return { state: "token", expiresAt: unverifiedExpiry(input.jwt) };
  const exp = input.exp;
  const ms = typeof exp === "number" ? exp * 1000 : new Date(exp).getTime();
  return { state: "token", expiresAt: Number.isFinite(ms) ? ms : null };
}

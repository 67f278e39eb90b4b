import { MayflyCode, MayflyError, MayflyErrorFields } from "../errors.js";

const LOGIN = "mayfly auth login";
const REFRESH = "mayfly auth refresh";

/**
 * Why a token was rejected: every step of the pipeline fails with one of these, each mapped to one catalog
 * code, with the same fixed messages and reauth commands as the Java mayfly-verifier's Reason. Messages
 * never quote the token.
 */
export const REASONS = {
  MISSING: ["CREDENTIALS_MISSING", "No access token was presented.", LOGIN],
  OVERSIZED: ["CREDENTIALS_INVALID", "Access token is too large.", LOGIN],
  MALFORMED: ["CREDENTIALS_INVALID", "Access token is not a well-formed JWS.", LOGIN],
  ALGORITHM_NOT_ALLOWED: ["CREDENTIALS_INVALID", "Access token is signed with an algorithm this verifier does not accept.", LOGIN],
  WRONG_TYPE: ["CREDENTIALS_INVALID", "Access token is not of type at+jwt.", LOGIN],
  FORBIDDEN_HEADER: ["CREDENTIALS_INVALID", "Access token header carries a parameter this verifier refuses (jku, x5u, jwk, x5c, crit, b64, cty, zip, enc).", LOGIN],
  NO_KEY_ID: ["CREDENTIALS_INVALID", "Access token header has no key id (kid).", LOGIN],
  UNKNOWN_KEY: ["CREDENTIALS_INVALID", "Access token is signed with an unknown signing key.", LOGIN],
  KEY_MISMATCH: ["CREDENTIALS_INVALID", "Access token signing key does not fit the token's algorithm.", LOGIN],
  BAD_SIGNATURE: ["CREDENTIALS_INVALID", "Access token signature is invalid.", LOGIN],
  WRONG_ISSUER: ["CREDENTIALS_INVALID", "Access token was issued by another issuer.", LOGIN],
  WRONG_AUDIENCE: ["CREDENTIALS_INVALID", "Access token is not meant for this audience.", null],
  NOT_YET_VALID: ["CREDENTIALS_INVALID", "Access token is not yet valid.", null],
  ISSUED_IN_THE_FUTURE: ["CREDENTIALS_INVALID", "Access token was issued in the future.", LOGIN],
  MISSING_CLAIM: ["CREDENTIALS_INVALID", "Access token lacks a required claim.", LOGIN],
  MALFORMED_CLAIMS: ["CREDENTIALS_INVALID", "Access token claims are malformed.", LOGIN],
  REVOKED: ["CREDENTIALS_REVOKED", "Access token was revoked.", null],
  EXPIRED: ["CREDENTIALS_EXPIRED", "Access token expired.", REFRESH],
  INSUFFICIENT_SCOPE: ["PERMISSION_DENIED", "Access token lacks a required scope.", null],
  KEYS_UNAVAILABLE: ["UNAVAILABLE", "The issuer's signing keys are unavailable.", null],
  REVOCATIONS_UNAVAILABLE: ["UNAVAILABLE", "Revocation status is unavailable.", null],
} as const satisfies Record<string, readonly [MayflyCode, string, string | null]>;

export type Reason = keyof typeof REASONS;

/** A step of the pipeline refused the token: the typed reason and the catalog error the caller sees. */
export class Rejection extends MayflyError {
  constructor(readonly reason: Reason, extra: Partial<MayflyErrorFields> = {}) {
    const [code, message, reauth] = REASONS[reason];
    super({
      code,
      message,
      reauthCommand: reauth,
      retryAfterMs: code === "UNAVAILABLE" ? 1000 : null,
      ...extra,
      details: { reason, ...(extra.details ?? {}) },
    });
    this.name = "Rejection";
  }
}

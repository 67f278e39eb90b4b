import { MayflyError, MayflyErrorFields } from "../errors.js";

/**
 * Why a DPoP proof, or a token's use with one, was refused (RFC 9449 §4.3, §7): the Java verifier's DpopFailure,
 * same fixed messages. Every one is CREDENTIALS_INVALID naming the failed check; its details say which RFC 9449
 * error it is (`dpop_error`, for the `WWW-Authenticate: DPoP` challenge) and, for a missing or stale nonce,
 * the nonce to retry with (`dpop_nonce`). Messages never quote the proof or the token.
 */
export const DPOP_FAILURES = {
  MISSING: ["A DPoP proof is required: send it in the DPoP header.", "invalid_dpop_proof"],
  MULTIPLE: ["Exactly one DPoP header is allowed.", "invalid_dpop_proof"],
  MALFORMED: ["DPoP proof is not a well-formed JWT.", "invalid_dpop_proof"],
  WRONG_TYPE: ["DPoP proof header typ must be dpop+jwt.", "invalid_dpop_proof"],
  ALGORITHM: ["DPoP proof must be signed with an asymmetric algorithm this server accepts.", "invalid_dpop_proof"],
  NO_PUBLIC_KEY: ["DPoP proof header must carry the signer's public key as jwk.", "invalid_dpop_proof"],
  PRIVATE_KEY: ["DPoP proof header jwk must be a public key, not a private one.", "invalid_dpop_proof"],
  KEY_MISMATCH: ["DPoP proof jwk does not fit its alg.", "invalid_dpop_proof"],
  BAD_SIGNATURE: ["DPoP proof signature is invalid.", "invalid_dpop_proof"],
  MISSING_CLAIM: ["DPoP proof lacks a required claim (jti, htm, htu, iat).", "invalid_dpop_proof"],
  WRONG_METHOD: ["DPoP proof htm does not match the request method.", "invalid_dpop_proof"],
  WRONG_URI: ["DPoP proof htu does not match the request URI.", "invalid_dpop_proof"],
  STALE: ["DPoP proof iat is outside the accepted window; sign a fresh proof.", "invalid_dpop_proof"],
  REPLAYED: ["DPoP proof jti was already used; sign a fresh proof for every request.", "invalid_dpop_proof"],
  MISSING_ATH: ["DPoP proof lacks ath, the hash of the access token it is sent with.", "invalid_dpop_proof"],
  WRONG_ATH: ["DPoP proof ath does not match the access token it is sent with.", "invalid_dpop_proof"],
  NONCE_REQUIRED: ["DPoP proof must carry the server's nonce; retry with the DPoP-Nonce header's value.", "use_dpop_nonce"],
  WRONG_KEY: ["DPoP proof is signed by another key than the one the token is bound to.", "invalid_token"],
  NOT_BOUND: ["Not DPoP-bound: present this access token as Bearer, not DPoP.", "invalid_token"],
  BOUND_AS_BEARER: ["Bound to a DPoP key: present this access token as Authorization: DPoP with a proof, not as Bearer.", "invalid_token"],
} as const satisfies Record<string, readonly [string, string]>;

export type DpopFailureReason = keyof typeof DPOP_FAILURES;

/** The error detail marking a refusal of a DPoP presentation: its challenge is `WWW-Authenticate: DPoP`. */
export const DETAIL_SCHEME = "auth_scheme";
export const DETAIL_ERROR = "dpop_error";
export const DETAIL_NONCE = "dpop_nonce";

/** A refused DPoP proof or presentation, as a catalog error (CREDENTIALS_INVALID, no reauth command). */
export class DpopRefusal extends MayflyError {
  constructor(readonly reason: DpopFailureReason, nonce?: string) {
    const [message, rfcError] = DPOP_FAILURES[reason];
    super({
      code: "CREDENTIALS_INVALID",
      message,
      reauthCommand: null,
      details: { [DETAIL_ERROR]: rfcError, [DETAIL_SCHEME]: "DPoP", ...(nonce ? { [DETAIL_NONCE]: nonce } : {}) },
    });
    this.name = "DpopRefusal";
  }
}

/** `error` marked as refused under the DPoP scheme (RFC 9449 §7.1: an expiry or revocation included). */
export function underDpopScheme(error: MayflyError): MayflyError {
  if (error.details[DETAIL_SCHEME] === "DPoP") return error;
  const fields: MayflyErrorFields = {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    expiredAt: error.expiredAt,
    reauthCommand: error.reauthCommand,
    requiredScope: error.requiredScope,
    missingScopes: error.missingScopes,
    retryAfterMs: error.retryAfterMs,
    details: { ...error.details, [DETAIL_SCHEME]: "DPoP" },
  };
  return new MayflyError(fields);
}

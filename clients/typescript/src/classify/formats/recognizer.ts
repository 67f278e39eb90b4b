import { Draft, Format } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { wordingVerdict } from "../wording.js";

/** Reads one response format: a draft with kind and format set, or null when this format does not decide it. */
export type Recognizer = (r: ResponseView) => Draft | null;

/**
 * The answer for a server that says "this credential is no good" without a code that says why (RFC 6750
 * `invalid_token` without a description, GitHub's `Bad credentials`, a Kubernetes `Unauthorized` Status,
 * Google's bare `UNAUTHENTICATED`, Vault's `invalid token`): first the message's words, when they name one
 * cause ("The incoming token has expired", "Invalid audience"), else the token's own `exp` (byExpiryAlone).
 */
export function byExpiry(r: ResponseView, format: Format, code: string | null, message: string | null): Draft {
  return wordingVerdict(message, format, code, message, r) ?? byExpiryAlone(r, format, code, message);
}

/**
 * The token's `exp` alone, for callers that have read the words already. Past it: EXPIRED. Known to be before
 * it: the server rejected a live token, so INVALID. Unknown: UNKNOWN, not retryable.
 */
export function byExpiryAlone(r: ResponseView, format: Format, code: string | null, message: string | null): Draft {
  if (r.sentTokenExpired()) {
    return new Draft("EXPIRED", "TOKEN_EXPIRY").withCode(code).withMessage(message).withExpiredAt(r.sentExpiry());
  }
  if (r.sentTokenValid()) return new Draft("INVALID", format).withCode(code).withMessage(message);
  return new Draft("UNKNOWN", format).withCode(code).withMessage(message).withRecovery("REPLACE_CREDENTIAL");
}

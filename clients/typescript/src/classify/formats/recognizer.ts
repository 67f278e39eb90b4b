import { Draft, Format } from "../authFailure.js";
import { ResponseView } from "../responseView.js";

/** Reads one response format: a draft with kind and format set, or null when this format does not decide it. */
export type Recognizer = (r: ResponseView) => Draft | null;

/**
 * The answer for a server that says "this credential is no good" without saying why: the token's own `exp`
 * decides. Past it: EXPIRED. Known to be before it: INVALID. Unknown: UNKNOWN, not retryable.
 */
export function byExpiry(r: ResponseView, format: Format, code: string | null, message: string | null): Draft {
  if (r.sentTokenExpired()) {
    return new Draft("EXPIRED", "TOKEN_EXPIRY").withCode(code).withMessage(message).withExpiredAt(r.sent.expiresAt);
  }
  if (r.sentTokenValid()) return new Draft("INVALID", format).withCode(code).withMessage(message);
  return new Draft("UNKNOWN", format).withCode(code).withMessage(message).withRecovery("REPLACE_CREDENTIAL");
}

import { Draft } from "../authFailure.js";
import { ResponseView, text } from "../responseView.js";
import { meaningOf, saysExpired } from "../wording.js";
import { byError } from "./bearer.js";

/**
 * RFC 6749 §5.2 token-endpoint errors, plus the codes later specifications put in the same place (RFC 8693/8707
 * `invalid_target`, RFC 8628 `expired_token`, RFC 9449, RFC 6750 codes in a body). `invalid_grant` means the
 * grant is over whatever the reason: log in again; the description's words decide the kind ("expired"/"not
 * active" is expiry, as Keycloak's "Token is not active" is; Okta's "invalid or expired" names two causes, so
 * it stays INVALID). An `invalid_request` on a 401 whose description says the token is missing (Kong's "The
 * access token is missing") is MISSING.
 */
export function oauthFormat(r: ResponseView): Draft | null {
  const json = r.json();
  const error = text(json, "error");
  if (error === null || json === null || typeof json.error === "object") return null;
  const description = text(json, "error_description");
  switch (error) {
    case "invalid_grant":
      if (saysExpired(description)) {
        return new Draft("EXPIRED", "OAUTH").withCode(error).withMessage(description).withRecovery("LOG_IN").withRetryable(true);
      }
      if (meaningOf(description) === "REVOKED") {
        return new Draft("REVOKED", "OAUTH").withCode(error).withMessage(description).withRecovery("LOG_IN");
      }
      return new Draft("INVALID", "OAUTH").withCode(error).withMessage(description).withRecovery("LOG_IN");
    case "expired_token":
      return new Draft("EXPIRED", "OAUTH").withCode(error).withMessage(description).withRecovery("LOG_IN").withRetryable(true);
    case "invalid_client":
      return new Draft("INVALID", "OAUTH").withCode(error).withMessage(description);
    case "unauthorized_client":
    case "access_denied":
    case "invalid_scope":
    case "invalid_target":
      return new Draft("DENIED", "OAUTH").withCode(error).withMessage(description).withRequiredScope(text(json, "scope"));
    case "temporarily_unavailable":
      return new Draft("UNAVAILABLE", "OAUTH").withCode(error).withMessage(description);
    case "slow_down":
      return new Draft("RATE_LIMITED", "OAUTH").withCode(error).withMessage(description);
    case "invalid_request":
      if (r.status === 401 && meaningOf(description) === "MISSING") {
        return new Draft("MISSING", "OAUTH").withCode(error).withMessage(description);
      }
      return new Draft("UNKNOWN", "OAUTH").withCode(error).withMessage(description);
    case "unsupported_grant_type":
    case "unsupported_token_type":
    case "unsupported_response_type":
      return new Draft("UNKNOWN", "OAUTH").withCode(error).withMessage(description);
    default:
      return byError(r, error, description, text(json, "scope"), text(json, "claims"), "OAUTH");
  }
}

import { Draft } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { byExpiry } from "./recognizer.js";

/**
 * The last word, from the status alone (RFC 9110 §15): 401 is for the token's `exp` to settle (MISSING when
 * none was sent), 403 a denial unless the token is known to be past its `exp` (servers that answer expiry
 * with 403 exist) or none was sent (Istio answers a request without a token "403 RBAC: access denied": with
 * no credential, attaching one is the fix), 429 a rate limit, 408/502/503/504 unavailability, anything else
 * undecidable.
 */
export function statusFallback(r: ResponseView): Draft {
  switch (r.status) {
    case 401:
      if (r.sent.state === "none") return new Draft("MISSING", "HTTP_STATUS");
      return byExpiry(r, "HTTP_STATUS", null, null);
    case 403:
      if (r.sent.state === "none") return new Draft("MISSING", "HTTP_STATUS");
      if (r.sentTokenExpired()) return new Draft("EXPIRED", "TOKEN_EXPIRY").withExpiredAt(r.sentExpiry());
      return new Draft("DENIED", "HTTP_STATUS");
    case 429:
      return new Draft("RATE_LIMITED", "HTTP_STATUS");
    case 408:
    case 502:
    case 503:
    case 504:
      return new Draft("UNAVAILABLE", "HTTP_STATUS");
    default:
      return new Draft("UNKNOWN", "HTTP_STATUS");
  }
}

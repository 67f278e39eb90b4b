import { isObject } from "../../jwt.js";
import { Draft } from "../authFailure.js";
import { ResponseView, text } from "../responseView.js";
import { byExpiry } from "./recognizer.js";

/**
 * The Kubernetes API server's `Status` object. `Unauthorized` never says why, so the token's `exp` decides;
 * `Forbidden` is RBAC saying no; `Expired`/`Gone` (410) concern a watch, not a credential.
 */
export function kubernetesFormat(r: ResponseView): Draft | null {
  const json = r.json();
  if (json === null || text(json, "kind") !== "Status" || !("apiVersion" in json)) return null;
  const reason = text(json, "reason");
  const message = text(json, "message");
  switch (reason) {
    case "Unauthorized":
      return byExpiry(r, "KUBERNETES", reason, message);
    case "Forbidden":
      return new Draft("DENIED", "KUBERNETES").withCode(reason).withMessage(message);
    case "TooManyRequests": {
      const d = new Draft("RATE_LIMITED", "KUBERNETES").withCode(reason).withMessage(message);
      const after = isObject(json.details) ? json.details.retryAfterSeconds : undefined;
      return typeof after === "number" && Number.isFinite(after) ? d.withRetryAfterMs(Math.trunc(after) * 1000) : d;
    }
    case "ServiceUnavailable":
    case "Timeout":
      return new Draft("UNAVAILABLE", "KUBERNETES").withCode(reason).withMessage(message);
    case "Expired":
    case "Gone":
      return new Draft("UNKNOWN", "KUBERNETES").withCode(reason).withMessage(message);
    default:
      return null;
  }
}

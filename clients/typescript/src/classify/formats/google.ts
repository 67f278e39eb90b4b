import { isObject } from "../../jwt.js";
import { Draft } from "../authFailure.js";
import { contains, isInt, ResponseView, text } from "../responseView.js";
import { byExpiry } from "./recognizer.js";

/**
 * Google APIs (AIP-193): the ErrorInfo `reason` decides when present; else the canonical status
 * (`UNAUTHENTICATED` for the token's `exp` to settle, `PERMISSION_DENIED` a denial). The older
 * `error.errors[].reason` form is read too, where a 403 may be a rate limit.
 */
export function googleFormat(r: ResponseView): Draft | null {
  const json = r.json();
  const error = json?.error;
  if (!isObject(error) || !isInt(error.code)) return null;
  const status = text(error, "status");
  const message = text(error, "message");
  let reason: string | null = null;
  let permission: string | null = null;
  for (const d of Array.isArray(error.details) ? error.details : []) {
    if (contains(text(d, "@type"), "google.rpc.errorinfo")) {
      reason = text(d, "reason");
      permission = text(isObject(d) ? d.metadata : null, "permission");
      break;
    }
  }
  let legacyReason: string | null = null;
  for (const e of Array.isArray(error.errors) ? error.errors : []) {
    legacyReason = text(e, "reason");
    if (legacyReason !== null) break;
  }
  if (reason !== null) {
    const d = byReason(r, reason, message);
    if (d) return d.withRequiredScope(permission ?? scopeFromChallenge(r));
  }
  if (legacyReason !== null) {
    const d = byLegacyReason(r, legacyReason, message);
    if (d) return d;
  }
  switch (status) {
    case "UNAUTHENTICATED":
      return byExpiry(r, "GOOGLE", status, message);
    case "PERMISSION_DENIED":
      return new Draft("DENIED", "GOOGLE").withCode(status).withMessage(message)
        .withRequiredScope(permission ?? scopeFromChallenge(r));
    case "RESOURCE_EXHAUSTED":
      return new Draft("RATE_LIMITED", "GOOGLE").withCode(status).withMessage(message);
    case "UNAVAILABLE":
      return new Draft("UNAVAILABLE", "GOOGLE").withCode(status).withMessage(message);
    default:
      return null;
  }
}

function byReason(r: ResponseView, reason: string, message: string | null): Draft | null {
  switch (reason) {
    case "ACCESS_TOKEN_EXPIRED":
      return new Draft("EXPIRED", "GOOGLE").withCode(reason).withMessage(message).withExpiredAt(r.sentExpiry());
    case "CREDENTIALS_MISSING":
      return new Draft("MISSING", "GOOGLE").withCode(reason).withMessage(message);
    case "ACCESS_TOKEN_TYPE_UNSUPPORTED":
    case "API_KEY_INVALID":
    case "SERVICE_ACCOUNT_TOKEN_INVALID":
      return new Draft("INVALID", "GOOGLE").withCode(reason).withMessage(message);
    case "ACCESS_TOKEN_SCOPE_INSUFFICIENT":
    case "IAM_PERMISSION_DENIED":
      return new Draft("DENIED", "GOOGLE").withCode(reason).withMessage(message);
    case "RATE_LIMIT_EXCEEDED":
    case "RESOURCE_QUOTA_EXCEEDED":
      return new Draft("RATE_LIMITED", "GOOGLE").withCode(reason).withMessage(message);
    default:
      return null;
  }
}

function byLegacyReason(r: ResponseView, reason: string, message: string | null): Draft | null {
  switch (reason) {
    case "authError":
      return byExpiry(r, "GOOGLE", reason, message);
    case "required":
      return r.status === 401 ? new Draft("MISSING", "GOOGLE").withCode(reason).withMessage(message) : null;
    case "rateLimitExceeded":
    case "userRateLimitExceeded":
    case "quotaExceeded":
      return new Draft("RATE_LIMITED", "GOOGLE").withCode(reason).withMessage(message);
    case "insufficientPermissions":
    case "forbidden":
      return new Draft("DENIED", "GOOGLE").withCode(reason).withMessage(message).withRequiredScope(scopeFromChallenge(r));
    default:
      return null;
  }
}

function scopeFromChallenge(r: ResponseView): string | null {
  for (const c of r.challenges()) if (c.params.scope != null) return c.params.scope;
  return null;
}

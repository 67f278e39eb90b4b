import { isMayflyCode, MayflyCode } from "../../errors.js";
import { isObject } from "../../jwt.js";
import { Draft, Kind, Recovery } from "../authFailure.js";
import { firstNonBlank, ResponseView, text } from "../responseView.js";

export const REFRESH_COMMAND = "mayfly auth refresh";
export const LOGIN_COMMAND = "mayfly auth login";

/**
 * Mayfly's own errors: the /v1 envelope (`{"ok":false,"error":{"code":...}}`) and the /oauth/* form (RFC 6749
 * `error` plus Mayfly's `code` beside it). The catalog code decides the kind; `reauth_command` decides
 * between refreshing and logging in again.
 */
export function mayflyFormat(r: ResponseView): Draft | null {
  const json = r.json();
  if (json === null) return null;
  const error = json.error;
  let fields: Record<string, unknown>;
  if (isObject(error) && "ok" in json) fields = error;
  else if (typeof error === "string" && "code" in json) fields = json;
  else return null;
  const name = text(fields, "code");
  if (!isMayflyCode(name)) return null;
  const code: MayflyCode = name;
  const reauth = text(fields, "reauth_command");
  const d = new Draft(kindOf(code), "MAYFLY")
    .withCode(code)
    .withMessage(firstNonBlank(text(fields, "message"), text(fields, "error_description")))
    .withReauthCommand(reauth)
    .withRequiredScope(text(fields, "required_scope"))
    .withMissingScopes(strings(fields.missing_scopes));
  const expiredAt = text(fields, "expired_at");
  if (expiredAt != null) {
    const ms = Date.parse(expiredAt);
    if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T/.test(expiredAt)) d.withExpiredAt(ms);
  }
  const retryAfterMs = fields.retry_after_ms;
  if (typeof retryAfterMs === "number" && Number.isFinite(retryAfterMs)) d.withRetryAfterMs(Math.trunc(retryAfterMs));
  d.withRecovery(recovery(code, reauth));
  d.withRetryable(code === "TIMEOUT" || code === "CREDENTIALS_EXPIRED" || code === "RATE_LIMITED" || code === "UNAVAILABLE");
  return d;
}

function recovery(code: MayflyCode, reauth: string | null): Recovery {
  switch (code) {
    case "CREDENTIALS_EXPIRED":
      return reauth === LOGIN_COMMAND ? "LOG_IN" : "REFRESH";
    case "CREDENTIALS_REVOKED":
      if (reauth === REFRESH_COMMAND) return "REFRESH";
      return reauth === LOGIN_COMMAND ? "LOG_IN" : "STOP";
    case "CREDENTIALS_INVALID":
      return reauth === LOGIN_COMMAND ? "LOG_IN" : "REPLACE_CREDENTIAL";
    case "CREDENTIALS_MISSING":
      return "ATTACH_CREDENTIAL";
    case "PERMISSION_DENIED":
      return "REQUEST_PERMISSION";
    case "RATE_LIMITED":
    case "UNAVAILABLE":
    case "TIMEOUT":
      return "RETRY_LATER";
    default:
      return "STOP";
  }
}

function kindOf(code: MayflyCode): Kind {
  switch (code) {
    case "CREDENTIALS_EXPIRED":
      return "EXPIRED";
    case "CREDENTIALS_REVOKED":
      return "REVOKED";
    case "CREDENTIALS_INVALID":
      return "INVALID";
    case "CREDENTIALS_MISSING":
      return "MISSING";
    case "PERMISSION_DENIED":
      return "DENIED";
    case "RATE_LIMITED":
      return "RATE_LIMITED";
    case "UNAVAILABLE":
    case "TIMEOUT":
      return "UNAVAILABLE";
    default:
      return "UNKNOWN";
  }
}

export function strings(array: unknown): string[] {
  return Array.isArray(array) ? array.filter((x): x is string => typeof x === "string") : [];
}

import { isObject } from "../../jwt.js";
import { Draft, Kind } from "../authFailure.js";
import { ResponseView, text, isInt } from "../responseView.js";
import { statedExpiry } from "../statedExpiry.js";
import { saysExpired } from "../wording.js";
import { byExpiry } from "./recognizer.js";

const AADSTS = /AADSTS(\d{4,8})/;

const ARM_CODES: Record<string, Kind> = {
  ExpiredAuthenticationToken: "EXPIRED",
  InvalidAuthenticationTokenTokenExpired: "EXPIRED",
  InvalidAuthenticationToken: "INVALID",
  InvalidAuthenticationTokenAudience: "INVALID",
  InvalidAuthenticationTokenTenant: "INVALID",
  AuthenticationFailed: "INVALID",
  AuthenticationFailedMissingToken: "MISSING",
  AuthorizationFailed: "DENIED",
  AuthorizationPermissionMismatch: "DENIED",
  InsufficientAccountPermissions: "DENIED",
  Authorization_RequestDenied: "DENIED",
  LinkedAuthorizationFailed: "DENIED",
  Forbidden: "DENIED",
  ForbiddenByRbac: "DENIED",
  ForbiddenByPolicy: "DENIED",
  ForbiddenByConnection: "DENIED",
  ForbiddenByFirewall: "DENIED",
};

/** Entra AADSTS numbers whose meaning differs from what the generic OAuth error implies. */
const AADSTS_CODES: Record<number, Kind> = {
  700082: "EXPIRED", // refresh token expired due to inactivity
  70008: "EXPIRED", // authorization code or refresh token expired
  700084: "EXPIRED", // SPA refresh token past its fixed lifetime
  50089: "EXPIRED", // flow token expired
  50173: "REVOKED", // grant revoked (credentials changed)
  50133: "REVOKED", // session invalid after a password change
  7000222: "EXPIRED", // the client secret itself expired
  7000215: "INVALID", // wrong client secret
  50076: "DENIED", // MFA required
  50079: "DENIED", // MFA enrollment required
  65001: "DENIED", // consent missing
};

/**
 * Azure Resource Manager / Microsoft Graph errors (`{"error":{"code":"...","message":"..."}}` with a string
 * code) and Entra token-endpoint errors (RFC 6749 with `error_codes` / AADSTS numbers). ARM's expiry message
 * carries the expiry time, which becomes `expiredAt`.
 *
 * Key Vault answers in the same shape with the bare code `Unauthorized` and says why in the message
 * ("AKV10000: Request is missing a Bearer or PoP token", "AKV10022: Invalid audience", "[TokenExpired] Error
 * validating token", IDX10223, "Token not yet valid"): the words decide (wording.ts), else the token's `exp`.
 * Its `Forbidden` (and `ForbiddenBy...`) is a denial. Storage, Service Bus and Cosmos DB answer in other
 * shapes (azureStorage.ts, serviceBus.ts, cosmos.ts).
 */
export function azureFormat(r: ResponseView): Draft | null {
  const json = r.json();
  if (json === null) return null;
  const error = json.error;
  if (isObject(error)) {
    for (const c of r.challenges()) {
      if (c.params.error === "insufficient_claims") return null; // CAE: the challenge decides (bearer)
    }
    return arm(r, error);
  }
  if (typeof error === "string") return entra(json);
  return null;
}

function arm(r: ResponseView, error: Record<string, unknown>): Draft | null {
  const code = error.code;
  if (typeof code !== "string") return null; // Google's error object carries a numeric code
  const message = text(error, "message");
  if (code === "Unauthorized") return byExpiry(r, "AZURE", code, message);
  let kind: Kind | null = Object.prototype.hasOwnProperty.call(ARM_CODES, code) ? ARM_CODES[code] : null;
  if (kind === null) {
    if (code !== "TooManyRequests" && code !== "RequestThrottled") return null;
    kind = "RATE_LIMITED";
  }
  if (kind === "INVALID" && saysExpired(message)) kind = "EXPIRED"; // Graph: "Access token has expired or is not yet valid."
  const d = new Draft(kind, "AZURE").withCode(code).withMessage(message);
  if (kind === "EXPIRED") d.withExpiredAt(statedExpiry(message) ?? r.sentExpiry());
  return d;
}

function entra(json: Record<string, unknown>): Draft | null {
  const description = text(json, "error_description");
  let n: number | null = null;
  const codes = json.error_codes;
  if (Array.isArray(codes) && codes.length > 0 && isInt(codes[0])) {
    n = codes[0];
  } else if (description != null) {
    const m = AADSTS.exec(description);
    if (m) n = Number.parseInt(m[1], 10);
  }
  if (n === null) return null;
  const kind = Object.prototype.hasOwnProperty.call(AADSTS_CODES, n) ? AADSTS_CODES[n] : null;
  if (kind === null) return null; // the generic OAuth reading applies
  const d = new Draft(kind, "AZURE").withCode("AADSTS" + n).withMessage(description);
  if (n === 7000222 || n === 7000215) return d.withRecovery("REPLACE_CREDENTIAL").withRetryable(false);
  if (kind === "EXPIRED" || kind === "REVOKED") d.withRecovery("LOG_IN");
  return d;
}

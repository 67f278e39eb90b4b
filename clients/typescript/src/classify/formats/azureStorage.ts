import { Draft, Kind } from "../authFailure.js";
import { ResponseView } from "../responseView.js";
import { ValidityWindow } from "../validityWindow.js";
import { wordingVerdict } from "../wording.js";
import { byExpiryAlone } from "./recognizer.js";

const CODE = /<Code>\s*([A-Za-z]+)\s*<\/Code>/;
const MESSAGE = /<Message>([^<]{0,2000})<\/Message>/;
const DETAIL = /<AuthenticationErrorDetail>([^<]{0,2000})<\/AuthenticationErrorDetail>/;

const CODES: Record<string, Kind> = {
  AuthenticationFailed: "INVALID",
  InvalidAuthenticationInfo: "INVALID",
  NoAuthenticationInformation: "MISSING",
  AuthorizationFailure: "DENIED",
  AuthorizationPermissionMismatch: "DENIED",
  AuthorizationResourceTypeMismatch: "DENIED",
  AuthorizationServiceMismatch: "DENIED",
  AuthorizationProtocolMismatch: "DENIED",
  AuthorizationSourceIPMismatch: "DENIED",
  InsufficientAccountPermissions: "DENIED",
  ServerBusy: "UNAVAILABLE",
  OperationTimedOut: "UNAVAILABLE",
};

/**
 * Azure Storage (Blob, Queue, Table, File): XML `<Error><Code>..</Code><Message>..</Message>
 * <AuthenticationErrorDetail>..</AuthenticationErrorDetail></Error>`, the code also in `x-ms-error-code`. The
 * code says little (`AuthenticationFailed` is any SAS, shared-key or token failure); the detail says why: a SAS
 * outside its time frame (ValidityWindow), "Lifetime validation failed. The token is expired." for a bearer
 * token, a malformed SAS ("Signed expiry time [..] must be after signed start time"). Without a detail that
 * names a cause, an authentication failure is the credential's fault (INVALID), unless the token is known to
 * be past its `exp`.
 */
export function azureStorageFormat(r: ResponseView): Draft | null {
  const body = r.body;
  const xmlError = body.includes("<Error>") && body.includes("<Code>");
  let code = r.header("x-ms-error-code");
  if (code === null && xmlError && (body.includes("<AuthenticationErrorDetail>") || r.header("x-ms-request-id") !== null)) {
    code = CODE.exec(body)?.[1] ?? null;
  }
  if (code === null) return null;
  code = code.trim();
  const kind = Object.prototype.hasOwnProperty.call(CODES, code) ? CODES[code] : null;
  if (kind === null) return null;
  const detail = xmlError ? (DETAIL.exec(body)?.[1] ?? null) : null;
  const message = detail !== null ? detail.trim() : xmlError ? (MESSAGE.exec(body)?.[1] ?? null) : (r.bodyMessages()[0] ?? null);
  if (kind !== "INVALID") return new Draft(kind, "AZURE").withCode(code).withMessage(message);
  const said = ValidityWindow.in(detail)?.verdict(code, message)
    ?? wordingVerdict(detail ?? message, "AZURE", code, message, r);
  if (said) return said;
  if (r.sentTokenExpired()) return byExpiryAlone(r, "AZURE", code, message);
  return new Draft("INVALID", "AZURE").withCode(code).withMessage(message).withRecovery("REPLACE_CREDENTIAL");
}

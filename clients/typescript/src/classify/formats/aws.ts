import { Draft, Kind } from "../authFailure.js";
import { firstNonBlank, ResponseView, saysExpired, text } from "../responseView.js";

const XML_CODE = /<Code>\s*([A-Za-z0-9._]+)\s*<\/Code>/;
const XML_MESSAGE = /<Message>([^<]{0,1000})<\/Message>/;

const CODES: Record<string, Kind> = {
  ExpiredToken: "EXPIRED",
  ExpiredTokenException: "EXPIRED",
  TokenRefreshRequired: "EXPIRED",
  RequestExpired: "INVALID",
  RequestTimeTooSkewed: "INVALID",
  InvalidClientTokenId: "INVALID",
  UnrecognizedClientException: "INVALID",
  InvalidAccessKeyId: "INVALID",
  InvalidToken: "INVALID",
  SignatureDoesNotMatch: "INVALID",
  InvalidSignatureException: "INVALID",
  IncompleteSignature: "INVALID",
  AuthFailure: "INVALID",
  NotAuthorizedException: "INVALID",
  MissingAuthenticationToken: "MISSING",
  MissingAuthenticationTokenException: "MISSING",
  MissingSecurityHeader: "MISSING",
  AccessDenied: "DENIED",
  AccessDeniedException: "DENIED",
  UnauthorizedOperation: "DENIED",
  AuthorizationErrorException: "DENIED",
  AllAccessDisabled: "DENIED",
  Throttling: "RATE_LIMITED",
  ThrottlingException: "RATE_LIMITED",
  ThrottledException: "RATE_LIMITED",
  RequestLimitExceeded: "RATE_LIMITED",
  RequestThrottled: "RATE_LIMITED",
  RequestThrottledException: "RATE_LIMITED",
  TooManyRequestsException: "RATE_LIMITED",
  SlowDown: "RATE_LIMITED",
  ProvisionedThroughputExceededException: "RATE_LIMITED",
  ServiceUnavailable: "UNAVAILABLE",
  ServiceUnavailableException: "UNAVAILABLE",
  InternalFailure: "UNAVAILABLE",
  InternalError: "UNAVAILABLE",
};

/**
 * AWS error codes from any of its protocols: the `x-amzn-ErrorType` header, JSON `__type` (or `code` with an
 * AWS request id), XML `<Error><Code>`. The status varies by service, so the code decides. `RequestExpired`
 * and `RequestTimeTooSkewed` are clock skew (FIX_CLOCK), not an expired credential.
 */
export function awsFormat(r: ResponseView): Draft | null {
  let code: string | null = null;
  let message: string | null = null;
  const typeHeader = r.header("x-amzn-ErrorType");
  if (typeHeader != null) code = stripNamespace(typeHeader.split(":", 2)[0]);
  const json = r.json();
  if (json !== null) {
    const type = text(json, "__type");
    if (code === null && type !== null) code = stripNamespace(type);
    if (code === null && (r.header("x-amzn-RequestId") != null || r.header("x-amz-request-id") != null)) {
      code = firstNonBlank(text(json, "code"), text(json, "Code"));
    }
    message = firstNonBlank(text(json, "message"), text(json, "Message"));
  } else if (r.body.includes("<Code>") && (r.body.includes("<Error>") || r.body.includes("<Errors>"))) {
    code = XML_CODE.exec(r.body)?.[1] ?? null;
    message = XML_MESSAGE.exec(r.body)?.[1] ?? null;
  }
  const kind = code === null || !Object.prototype.hasOwnProperty.call(CODES, code) ? null : CODES[code];
  if (kind === null || code === null) return null;
  const d = new Draft(kind, "AWS").withCode(code).withMessage(message);
  if (code === "RequestExpired" || code === "RequestTimeTooSkewed") return d.withRecovery("FIX_CLOCK").withRetryable(false);
  if (kind === "EXPIRED") return d.withExpiredAt(r.sent.expiresAt);
  if (kind === "INVALID" && saysExpired(message)) {
    // e.g. Cognito's NotAuthorizedException "Access Token has expired"
    return d.withKind("EXPIRED").withExpiredAt(r.sent.expiresAt);
  }
  return d;
}

function stripNamespace(type: string): string {
  const t = type.trim();
  const hash = t.lastIndexOf("#");
  return hash >= 0 ? t.substring(hash + 1) : t;
}

import { Draft, Kind } from "../authFailure.js";
import { parseOffsetDateTime } from "../instants.js";
import { contains, firstNonBlank, ResponseView, text } from "../responseView.js";
import { statedExpiry } from "../statedExpiry.js";
import { meaningOf, saysExpired } from "../wording.js";
import { byExpiry } from "./recognizer.js";

const XML_CODE = /<Code>\s*([A-Za-z0-9._]+)\s*<\/Code>/;
const XML_MESSAGE = /<Message>([^<]{0,1000})<\/Message>/;
const XML_EXPIRES = /<Expires>\s*([0-9T:.Z+-]{10,40})\s*<\/Expires>/;
const XML_DETAILS = /<Details>([^<]{0,1000})<\/Details>/;
const REQUEST_TIMESTAMP = /^\s*signature (expired|not yet current)/i;

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
  UnauthorizedException: "UNKNOWN",
  MissingAuthenticationToken: "MISSING",
  MissingAuthenticationTokenException: "MISSING",
  MissingSecurityHeader: "MISSING",
  AccessDenied: "DENIED",
  AccessDeniedException: "DENIED",
  ForbiddenException: "DENIED",
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
 *
 * Three answers carry more than their code. S3's `AccessDenied` "Request has expired" with an `<Expires>`
 * element is a presigned URL past its expiry: EXPIRED at that instant (a new URL is the fix), and "Request is
 * not yet valid" is the signer's clock. GCS answers S3-style XML too, its `ExpiredToken` stating the time in
 * `<Details>`. A SigV4 "Signature expired" / "Signature not yet current" is the request's timestamp, so
 * FIX_CLOCK. API Gateway's `UnauthorizedException` (REST API authorizers' `{"message":"Unauthorized"}`) says
 * nothing unless its message does ("The incoming token has expired"), so the words and then the token's `exp`
 * decide. Azure Storage's XML looks like S3's; responses with `x-ms-` request headers are left to the Azure
 * formats.
 */
export function awsFormat(r: ResponseView): Draft | null {
  if (r.header("x-ms-request-id") !== null || r.header("x-ms-error-code") !== null) return null;
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
  if (code === "RequestExpired" || code === "RequestTimeTooSkewed"
    || (kind === "INVALID" && message !== null && REQUEST_TIMESTAMP.test(message))) {
    return d.withRecovery("FIX_CLOCK").withRetryable(false);
  }
  if (code === "AccessDenied" && json === null) {
    const presigned = presignedUrl(r, message);
    if (presigned) return presigned;
  }
  if (code === "UnauthorizedException") return byExpiry(r, "AWS", code, message);
  if (kind === "EXPIRED") {
    const details = json === null ? XML_DETAILS.exec(r.body) : null;
    return d.withExpiredAt((details ? statedExpiry(details[1]) : null) ?? r.sentExpiry());
  }
  if (kind === "INVALID" && saysExpired(message)) {
    // e.g. Cognito's NotAuthorizedException "Access Token has expired"
    return d.withKind("EXPIRED").withExpiredAt(r.sentExpiry());
  }
  return d;
}

/** S3's answer to a presigned URL used outside its window, or null when the denial is an ordinary one. */
function presignedUrl(r: ResponseView, message: string | null): Draft | null {
  if (meaningOf(message) === "NOT_YET_VALID") {
    return new Draft("INVALID", "AWS").withCode("AccessDenied").withMessage(message).withRecovery("FIX_CLOCK").withRetryable(false);
  }
  const expires = XML_EXPIRES.exec(r.body);
  if (!contains(message, "request has expired") || !expires) return null;
  return new Draft("EXPIRED", "AWS").withCode("AccessDenied").withMessage(message).withExpiredAt(parseOffsetDateTime(expires[1]));
}

function stripNamespace(type: string): string {
  const t = type.trim();
  const hash = t.lastIndexOf("#");
  return hash >= 0 ? t.substring(hash + 1) : t;
}

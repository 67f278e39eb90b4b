"""The response formats the classifier reads, most specific first; one function per format, each a port of
the Java recognizer of the same name in dev.mayfly.client.classify. A recognizer returns a draft with at
least the kind and format, or None when the response is not in its format (so the next one is asked)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

from ._expiry import ValidityWindow, stated_expiry
from ._instants import parse_offset_date_time
from ._wording import Meaning, meaning_of, says_expired
from ._wording import verdict as words_verdict
from .classify import CATALOG_CODES, RETRYABLE_CODES, Format, Kind, Recovery, ResponseView, _Builder, parse_long
from .clock import parse_instant

Recognizer = Callable[[ResponseView], Optional[_Builder]]


# ---- JSON helpers with Jackson's semantics (asText of value nodes, iteration over containers) ----

def text(node: Any, name: str) -> str | None:
    if not isinstance(node, dict):
        return None
    v = node.get(name)
    if v is None or isinstance(v, (dict, list)):
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def elements(node: Any) -> list[Any]:
    if isinstance(node, list):
        return node
    if isinstance(node, dict):
        return list(node.values())
    return []


def contains(haystack: str | None, needle: str) -> bool:
    return haystack is not None and needle in haystack.lower()


def first_non_blank(*values: str | None) -> str | None:
    for v in values:
        if v is not None and v.strip():
            return v
    return None


def by_expiry(r: ResponseView, fmt: Format, code: str | None, message: str | None) -> _Builder:
    """A server said "no good" without a code that says why (CredentialRejected): first the message's words,
    when they name one cause ("The incoming token has expired", "Invalid audience"), else the token's own exp.
    Past it: EXPIRED. Known to be before it: the server rejected a live token, so INVALID. Unknown: UNKNOWN."""
    said = words_verdict(message, fmt, code, message, r)
    return said if said is not None else by_expiry_alone(r, fmt, code, message)


def by_expiry_alone(r: ResponseView, fmt: Format, code: str | None, message: str | None) -> _Builder:
    """The token's exp alone, for callers that have read the words already."""
    if r.sent_token_expired():
        return _Builder(Kind.EXPIRED, Format.TOKEN_EXPIRY).set(code=code, message=message,
                                                               expired_at=r.sent_expiry())
    if r.sent_token_valid():
        return _Builder(Kind.INVALID, fmt).set(code=code, message=message)
    return _Builder(Kind.UNKNOWN, fmt).set(code=code, message=message, recovery=Recovery.REPLACE_CREDENTIAL)


# ---- Mayfly ----

_REFRESH = "mayfly auth refresh"
_LOGIN = "mayfly auth login"


def mayfly(r: ResponseView) -> _Builder | None:
    j = r.json()
    if j is None:
        return None
    error = j.get("error")
    if isinstance(error, dict) and "ok" in j:
        fields = error
    elif isinstance(error, str) and "code" in j:
        fields = j
    else:
        return None
    code = text(fields, "code")
    if code not in CATALOG_CODES:
        return None
    reauth = text(fields, "reauth_command")
    missing = [s for s in fields.get("missing_scopes") or [] if isinstance(s, str)] \
        if isinstance(fields.get("missing_scopes"), list) else []
    b = _Builder(_mayfly_kind(code), Format.MAYFLY).set(
        code=code, message=first_non_blank(text(fields, "message"), text(fields, "error_description")),
        reauth_command=reauth, required_scope=text(fields, "required_scope"), missing_scopes=missing)
    expired_at = text(fields, "expired_at")
    if expired_at is not None:
        try:
            b.set(expired_at=parse_instant(expired_at))
        except ValueError:
            pass  # keep classifying; the token's own exp may still supply it
    ms: Any = fields.get("retry_after_ms")
    if is_number(ms):
        b.set(retry_after=timedelta(milliseconds=int(ms)))
    return b.set(recovery=_mayfly_recovery(code, reauth), retryable=code in RETRYABLE_CODES)


def _mayfly_recovery(code: str, reauth: str | None) -> Recovery:
    if code == "CREDENTIALS_EXPIRED":
        return Recovery.LOG_IN if reauth == _LOGIN else Recovery.REFRESH
    if code == "CREDENTIALS_REVOKED":
        if reauth == _REFRESH:
            return Recovery.REFRESH
        return Recovery.LOG_IN if reauth == _LOGIN else Recovery.STOP
    if code == "CREDENTIALS_INVALID":
        return Recovery.LOG_IN if reauth == _LOGIN else Recovery.REPLACE_CREDENTIAL
    if code == "CREDENTIALS_MISSING":
        return Recovery.ATTACH_CREDENTIAL
    if code == "PERMISSION_DENIED":
        return Recovery.REQUEST_PERMISSION
    if code in ("RATE_LIMITED", "UNAVAILABLE", "TIMEOUT"):
        return Recovery.RETRY_LATER
    return Recovery.STOP


def _mayfly_kind(code: str) -> Kind:
    return {
        "CREDENTIALS_EXPIRED": Kind.EXPIRED, "CREDENTIALS_REVOKED": Kind.REVOKED,
        "CREDENTIALS_INVALID": Kind.INVALID, "CREDENTIALS_MISSING": Kind.MISSING,
        "PERMISSION_DENIED": Kind.DENIED, "RATE_LIMITED": Kind.RATE_LIMITED,
        "UNAVAILABLE": Kind.UNAVAILABLE, "TIMEOUT": Kind.UNAVAILABLE,
    }.get(code, Kind.UNKNOWN)


# ---- Azure Storage (Blob, Queue, Table, File) ----

_STORAGE_CODE = re.compile(r"<Code>\s*([A-Za-z]+)\s*</Code>")
_STORAGE_MESSAGE = re.compile(r"<Message>([^<]{0,2000})</Message>")
_STORAGE_DETAIL = re.compile(r"<AuthenticationErrorDetail>([^<]{0,2000})</AuthenticationErrorDetail>")
_STORAGE_CODES = {
    "AuthenticationFailed": Kind.INVALID, "InvalidAuthenticationInfo": Kind.INVALID,
    "NoAuthenticationInformation": Kind.MISSING, "AuthorizationFailure": Kind.DENIED,
    "AuthorizationPermissionMismatch": Kind.DENIED, "AuthorizationResourceTypeMismatch": Kind.DENIED,
    "AuthorizationServiceMismatch": Kind.DENIED, "AuthorizationProtocolMismatch": Kind.DENIED,
    "AuthorizationSourceIPMismatch": Kind.DENIED, "InsufficientAccountPermissions": Kind.DENIED,
    "ServerBusy": Kind.UNAVAILABLE, "OperationTimedOut": Kind.UNAVAILABLE,
}


def azure_storage(r: ResponseView) -> _Builder | None:
    """XML ``<Error><Code>..</Code><Message>..</Message><AuthenticationErrorDetail>..</..></Error>``, the code
    also in ``x-ms-error-code``. The code says little (``AuthenticationFailed`` is any SAS, shared-key or token
    failure); the detail says why: a SAS outside its time frame (ValidityWindow), "Lifetime validation failed.
    The token is expired." for a bearer token, a malformed SAS. Without a detail that names a cause, an
    authentication failure is the credential's fault (INVALID), unless the token is known to be past its exp."""
    body = r.body
    xml_error = "<Error>" in body and "<Code>" in body
    code = r.header("x-ms-error-code")
    if code is None and xml_error and ("<AuthenticationErrorDetail>" in body or r.header("x-ms-request-id") is not None):
        m = _STORAGE_CODE.search(body)
        code = m.group(1) if m else None
    kind = None if code is None else _STORAGE_CODES.get(code.strip())
    if kind is None or code is None:
        return None
    code = code.strip()
    detail = _group(_STORAGE_DETAIL, body) if xml_error else None
    if detail is not None:
        message: str | None = detail.strip()
    elif xml_error:
        message = _group(_STORAGE_MESSAGE, body)
    else:
        messages = r.body_messages()
        message = messages[0] if messages else None
    if kind is not Kind.INVALID:
        return _Builder(kind, Format.AZURE).set(code=code, message=message)
    window = ValidityWindow.find(detail)
    b = None if window is None else window.verdict(code, message)
    if b is None:
        b = words_verdict(detail if detail is not None else message, Format.AZURE, code, message, r)
    if b is not None:
        return b
    if r.sent_token_expired():
        return by_expiry_alone(r, Format.AZURE, code, message)
    return _Builder(Kind.INVALID, Format.AZURE).set(code=code, message=message, recovery=Recovery.REPLACE_CREDENTIAL)


def _group(pattern: re.Pattern[str], body: str) -> str | None:
    m = pattern.search(body)
    return m.group(1) if m else None


# ---- Azure Service Bus and Event Hubs REST ----

_SERVICE_BUS_ERROR = re.compile(r"<Error>\s*<Code>\s*(\d{3})\s*</Code>\s*<Detail>([^<]{0,2000})</Detail>")
_LEADING_CODE = re.compile(r"^\s*([A-Z][A-Za-z]+):")
_CLAIMS_REQUIRED = re.compile(r"claim\(?s?\)? (are |is )?required", re.IGNORECASE)


def service_bus(r: ResponseView) -> _Builder | None:
    """``<Error><Code>401</Code><Detail>ExpiredToken: The token is expired. Expiration time: '2018-11-04
    05:05:25Z'. TrackingId:..</Detail></Error>``: the numeric code is the status, the detail's leading word
    the real code. A SAS lacking a right is answered 401 too ("Unauthorized access. 'Send' claim(s) are
    required to perform this operation"): that is a denial, not a credential problem."""
    m = _SERVICE_BUS_ERROR.search(r.body)
    if m is None:
        return None
    detail = m.group(2).strip()
    lead = _LEADING_CODE.search(detail)
    code = lead.group(1) if lead else None
    if _CLAIMS_REQUIRED.search(detail):
        return _Builder(Kind.DENIED, Format.AZURE).set(code=code, message=detail)
    if code == "ExpiredToken":
        stated = stated_expiry(detail)
        return _Builder(Kind.EXPIRED, Format.AZURE).set(
            code=code, message=detail, expired_at=stated if stated is not None else r.sent_expiry())
    said = words_verdict(detail, Format.AZURE, code, detail, r)
    if said is not None:
        return said
    if r.status == 401:
        return by_expiry_alone(r, Format.AZURE, code, detail)
    if r.status == 403:
        return _Builder(Kind.DENIED, Format.AZURE).set(code=code, message=detail)
    return None


# ---- Azure Cosmos DB ----

def cosmos(r: ResponseView) -> _Builder | None:
    """A top-level ``{"code":"Unauthorized","message":"...\\r\\nActivityId: ..."}`` with an ``x-ms-activity-id``
    header. A token outside its window is answered 403 with the window and the server's time in the message
    (ValidityWindow). Any other 401 is the key or the signed payload being wrong ("The input authorization
    token can't serve the request"), unless the words say missing or expired."""
    j = r.json()
    code = text(j, "code")
    message = text(j, "message")
    if (j is None or code is None or message is None or is_number(j.get("code"))
            or (r.header("x-ms-activity-id") is None and "ActivityId:" not in message)):
        return None
    first_line = re.split(r"\r?\n", message, maxsplit=1)[0]
    window = ValidityWindow.find(message)
    b = None if window is None else window.verdict(code, first_line)
    if b is not None:
        return b
    if code == "Unauthorized":
        said = words_verdict(first_line, Format.AZURE, code, first_line, r)
        return said if said is not None else _Builder(Kind.INVALID, Format.AZURE).set(
            code=code, message=first_line, recovery=Recovery.REPLACE_CREDENTIAL)
    if code == "Forbidden":
        said = words_verdict(first_line, Format.AZURE, code, first_line, r)
        return said if said is not None and said.kind is not Kind.INVALID else _Builder(
            Kind.DENIED, Format.AZURE).set(code=code, message=first_line)
    if code in ("TooManyRequests", "429"):
        return _Builder(Kind.RATE_LIMITED, Format.AZURE).set(code=code, message=first_line)
    return None


# ---- AWS ----

_XML_CODE = re.compile(r"<Code>\s*([A-Za-z0-9._]+)\s*</Code>")
_XML_MESSAGE = re.compile(r"<Message>([^<]{0,1000})</Message>")
_XML_EXPIRES = re.compile(r"<Expires>\s*([0-9T:.Z+-]{10,40})\s*</Expires>")
_XML_DETAILS = re.compile(r"<Details>([^<]{0,1000})</Details>")
_REQUEST_TIMESTAMP = re.compile(r"^\s*signature (expired|not yet current)", re.IGNORECASE)
_AWS_CODES = {
    "ExpiredToken": Kind.EXPIRED, "ExpiredTokenException": Kind.EXPIRED, "TokenRefreshRequired": Kind.EXPIRED,
    "RequestExpired": Kind.INVALID, "RequestTimeTooSkewed": Kind.INVALID, "InvalidClientTokenId": Kind.INVALID,
    "UnrecognizedClientException": Kind.INVALID, "InvalidAccessKeyId": Kind.INVALID, "InvalidToken": Kind.INVALID,
    "SignatureDoesNotMatch": Kind.INVALID, "InvalidSignatureException": Kind.INVALID,
    "IncompleteSignature": Kind.INVALID, "AuthFailure": Kind.INVALID, "NotAuthorizedException": Kind.INVALID,
    "UnauthorizedException": Kind.UNKNOWN,
    "MissingAuthenticationToken": Kind.MISSING, "MissingAuthenticationTokenException": Kind.MISSING,
    "MissingSecurityHeader": Kind.MISSING, "AccessDenied": Kind.DENIED, "AccessDeniedException": Kind.DENIED,
    "ForbiddenException": Kind.DENIED,
    "UnauthorizedOperation": Kind.DENIED, "AuthorizationErrorException": Kind.DENIED,
    "AllAccessDisabled": Kind.DENIED, "Throttling": Kind.RATE_LIMITED, "ThrottlingException": Kind.RATE_LIMITED,
    "ThrottledException": Kind.RATE_LIMITED, "RequestLimitExceeded": Kind.RATE_LIMITED,
    "RequestThrottled": Kind.RATE_LIMITED, "RequestThrottledException": Kind.RATE_LIMITED,
    "TooManyRequestsException": Kind.RATE_LIMITED, "SlowDown": Kind.RATE_LIMITED,
    "ProvisionedThroughputExceededException": Kind.RATE_LIMITED, "ServiceUnavailable": Kind.UNAVAILABLE,
    "ServiceUnavailableException": Kind.UNAVAILABLE, "InternalFailure": Kind.UNAVAILABLE,
    "InternalError": Kind.UNAVAILABLE,
}


def _strip_namespace(t: str) -> str:
    t = t.strip()
    return t[t.rfind("#") + 1:] if "#" in t else t


def aws(r: ResponseView) -> _Builder | None:
    """AWS JSON (``__type``/``x-amzn-ErrorType``) and XML errors. S3's ``AccessDenied`` "Request has expired" with
    an ``<Expires>`` element is a presigned URL past its expiry (EXPIRED then; "Request is not yet valid" is the
    signer's clock); GCS's S3-style ``ExpiredToken`` states the time in ``<Details>``; a SigV4 "Signature
    expired" is the request's timestamp (FIX_CLOCK); API Gateway's ``UnauthorizedException`` says nothing unless
    its message does. Azure Storage's XML looks like S3's: answers with ``x-ms-`` headers are left to Azure."""
    if r.header("x-ms-request-id") is not None or r.header("x-ms-error-code") is not None:
        return None
    code = None
    message = None
    type_header = r.header("x-amzn-ErrorType")
    if type_header is not None:
        code = _strip_namespace(type_header.split(":", 1)[0])
    j = r.json()
    if j is not None:
        t = text(j, "__type")
        if code is None and t is not None:
            code = _strip_namespace(t)
        if code is None and (r.header("x-amzn-RequestId") is not None or r.header("x-amz-request-id") is not None):
            code = first_non_blank(text(j, "code"), text(j, "Code"))
        message = first_non_blank(text(j, "message"), text(j, "Message"))
    elif "<Code>" in r.body and ("<Error>" in r.body or "<Errors>" in r.body):
        m = _XML_CODE.search(r.body)
        if m:
            code = m.group(1)
        mm = _XML_MESSAGE.search(r.body)
        if mm:
            message = mm.group(1)
    kind = None if code is None else _AWS_CODES.get(code)
    if kind is None:
        return None
    b = _Builder(kind, Format.AWS).set(code=code, message=message)
    if code in ("RequestExpired", "RequestTimeTooSkewed") or (
            kind is Kind.INVALID and message is not None and _REQUEST_TIMESTAMP.search(message)):
        return b.set(recovery=Recovery.FIX_CLOCK, retryable=False)
    if code == "AccessDenied" and j is None:
        presigned = _presigned_url(r, message)
        if presigned is not None:
            return presigned
    if code == "UnauthorizedException":
        return by_expiry(r, Format.AWS, code, message)
    if kind is Kind.EXPIRED:
        details = _XML_DETAILS.search(r.body) if j is None else None
        stated = stated_expiry(details.group(1)) if details else None
        return b.set(expired_at=stated if stated is not None else r.sent_expiry())
    if kind is Kind.INVALID and says_expired(message):
        # e.g. Cognito's NotAuthorizedException "Access Token has expired"
        return b.set(kind=Kind.EXPIRED, expired_at=r.sent_expiry())
    return b


def _presigned_url(r: ResponseView, message: str | None) -> _Builder | None:
    """S3's answer to a presigned URL used outside its window, or None when the denial is an ordinary one."""
    if meaning_of(message) is Meaning.NOT_YET_VALID:
        return _Builder(Kind.INVALID, Format.AWS).set(code="AccessDenied", message=message,
                                                      recovery=Recovery.FIX_CLOCK, retryable=False)
    expires = _XML_EXPIRES.search(r.body)
    if not contains(message, "request has expired") or expires is None:
        return None
    return _Builder(Kind.EXPIRED, Format.AWS).set(code="AccessDenied", message=message,
                                                  expired_at=parse_offset_date_time(expires.group(1)))


# ---- Azure / Entra ----

_AADSTS = re.compile(r"AADSTS(\d{4,8})")
_ARM_CODES = {
    "ExpiredAuthenticationToken": Kind.EXPIRED, "InvalidAuthenticationTokenTokenExpired": Kind.EXPIRED,
    "InvalidAuthenticationToken": Kind.INVALID, "InvalidAuthenticationTokenAudience": Kind.INVALID,
    "InvalidAuthenticationTokenTenant": Kind.INVALID, "AuthenticationFailed": Kind.INVALID,
    "AuthenticationFailedMissingToken": Kind.MISSING, "AuthorizationFailed": Kind.DENIED,
    "AuthorizationPermissionMismatch": Kind.DENIED, "InsufficientAccountPermissions": Kind.DENIED,
    "Authorization_RequestDenied": Kind.DENIED, "LinkedAuthorizationFailed": Kind.DENIED,
    "Forbidden": Kind.DENIED, "ForbiddenByRbac": Kind.DENIED, "ForbiddenByPolicy": Kind.DENIED,
    "ForbiddenByConnection": Kind.DENIED, "ForbiddenByFirewall": Kind.DENIED,
}
_AADSTS_CODES = {
    700082: Kind.EXPIRED, 70008: Kind.EXPIRED, 700084: Kind.EXPIRED, 50089: Kind.EXPIRED, 50173: Kind.REVOKED,
    50133: Kind.REVOKED, 7000222: Kind.EXPIRED, 7000215: Kind.INVALID, 50076: Kind.DENIED, 50079: Kind.DENIED,
    65001: Kind.DENIED,
}


def azure(r: ResponseView) -> _Builder | None:
    """ARM/Graph/Key Vault ``{"error":{"code":..,"message":..}}`` and Entra token-endpoint errors. Key Vault's
    bare ``Unauthorized`` says why only in its message ("AKV10000: Request is missing a Bearer or PoP token",
    "AKV10022: Invalid audience", IDX10223): the words decide, else the token's exp. Storage, Service Bus and
    Cosmos DB answer in other shapes (azure_storage, service_bus, cosmos)."""
    j = r.json()
    if j is None:
        return None
    error = j.get("error")
    if isinstance(error, dict):
        for c in r.challenges():
            if c.param("error") == "insufficient_claims":
                return None  # CAE: the challenge, not the body, says what happened
        return _arm(r, error)
    if isinstance(error, str):
        return _entra(j)
    return None


def _arm(r: ResponseView, error: dict[str, Any]) -> _Builder | None:
    code = error.get("code")
    if not isinstance(code, str):
        return None  # Google's error object carries a numeric code
    message = text(error, "message")
    if code == "Unauthorized":
        return by_expiry(r, Format.AZURE, code, message)
    kind = _ARM_CODES.get(code)
    if kind is None:
        if code not in ("TooManyRequests", "RequestThrottled"):
            return None
        kind = Kind.RATE_LIMITED
    if kind is Kind.INVALID and says_expired(message):
        kind = Kind.EXPIRED  # Graph: "Access token has expired or is not yet valid."
    b = _Builder(kind, Format.AZURE).set(code=code, message=message)
    if kind is Kind.EXPIRED:
        stated = stated_expiry(message)
        b.set(expired_at=stated if stated is not None else r.sent_expiry())
    return b


def _entra(j: dict[str, Any]) -> _Builder | None:
    description = text(j, "error_description")
    number = None
    codes = j.get("error_codes")
    if isinstance(codes, list) and codes and is_number(codes[0]) and -2**31 <= codes[0] < 2**31:
        number = int(codes[0])
    elif description is not None:
        m = _AADSTS.search(description)
        if m:
            number = int(m.group(1))
    if number is None:
        return None
    kind = _AADSTS_CODES.get(number)
    if kind is None:
        return None  # the generic OAuth reading applies
    b = _Builder(kind, Format.AZURE).set(code=f"AADSTS{number}", message=description)
    if number in (7000222, 7000215):
        return b.set(recovery=Recovery.REPLACE_CREDENTIAL, retryable=False)
    if kind in (Kind.EXPIRED, Kind.REVOKED):
        b.set(recovery=Recovery.LOG_IN)
    return b


# ---- Google ----

def google(r: ResponseView) -> _Builder | None:
    j = r.json()
    error = None if j is None else j.get("error")
    if not isinstance(error, dict):
        return None
    gcode = error.get("code")
    if not (isinstance(gcode, int) and not isinstance(gcode, bool) and -2**31 <= gcode < 2**31):
        return None
    status = text(error, "status")
    message = text(error, "message")
    reason = None
    permission = None
    for d in elements(error.get("details")):
        if contains(text(d, "@type"), "google.rpc.errorinfo"):
            reason = text(d, "reason")
            permission = text(d.get("metadata") if isinstance(d, dict) else None, "permission")
            break
    legacy = None
    for e in elements(error.get("errors")):
        legacy = text(e, "reason")
        if legacy is not None:
            break
    if reason is not None:
        b = _google_reason(r, reason, message)
        if b is not None:
            return b.set(required_scope=permission if permission is not None else _scope_from_challenge(r))
    if legacy is not None:
        b = _google_legacy(r, legacy, message)
        if b is not None:
            return b
    if status == "UNAUTHENTICATED":
        return by_expiry(r, Format.GOOGLE, status, message)
    if status == "PERMISSION_DENIED":
        return _Builder(Kind.DENIED, Format.GOOGLE).set(
            code=status, message=message,
            required_scope=permission if permission is not None else _scope_from_challenge(r))
    if status == "RESOURCE_EXHAUSTED":
        return _Builder(Kind.RATE_LIMITED, Format.GOOGLE).set(code=status, message=message)
    if status == "UNAVAILABLE":
        return _Builder(Kind.UNAVAILABLE, Format.GOOGLE).set(code=status, message=message)
    return None


def _google_reason(r: ResponseView, reason: str, message: str | None) -> _Builder | None:
    if reason == "ACCESS_TOKEN_EXPIRED":
        return _Builder(Kind.EXPIRED, Format.GOOGLE).set(code=reason, message=message, expired_at=r.sent_expiry())
    kind = {
        "CREDENTIALS_MISSING": Kind.MISSING, "ACCESS_TOKEN_TYPE_UNSUPPORTED": Kind.INVALID,
        "API_KEY_INVALID": Kind.INVALID, "SERVICE_ACCOUNT_TOKEN_INVALID": Kind.INVALID,
        "ACCESS_TOKEN_SCOPE_INSUFFICIENT": Kind.DENIED, "IAM_PERMISSION_DENIED": Kind.DENIED,
        "RATE_LIMIT_EXCEEDED": Kind.RATE_LIMITED, "RESOURCE_QUOTA_EXCEEDED": Kind.RATE_LIMITED,
    }.get(reason)
    return None if kind is None else _Builder(kind, Format.GOOGLE).set(code=reason, message=message)


def _google_legacy(r: ResponseView, reason: str, message: str | None) -> _Builder | None:
    if reason == "authError":
        return by_expiry(r, Format.GOOGLE, reason, message)
    if reason == "required":
        return _Builder(Kind.MISSING, Format.GOOGLE).set(code=reason, message=message) if r.status == 401 else None
    if reason in ("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"):
        return _Builder(Kind.RATE_LIMITED, Format.GOOGLE).set(code=reason, message=message)
    if reason in ("insufficientPermissions", "forbidden"):
        return _Builder(Kind.DENIED, Format.GOOGLE).set(code=reason, message=message,
                                                        required_scope=_scope_from_challenge(r))
    return None


def _scope_from_challenge(r: ResponseView) -> str | None:
    for c in r.challenges():
        if c.param("scope") is not None:
            return c.param("scope")
    return None


# ---- GitHub ----

def github(r: ResponseView) -> _Builder | None:
    j = r.json()
    docs = text(j, "documentation_url")
    is_github = (docs is not None and ("docs.github.com" in docs or "developer.github.com" in docs)) \
        or r.header("x-github-request-id") is not None
    if not is_github:
        return None
    message = text(j, "message")
    if r.status in (403, 429) and (r.header("x-ratelimit-remaining") == "0" or contains(message, "rate limit")):
        return _Builder(Kind.RATE_LIMITED, Format.GITHUB).set(code="rate_limited", message=message,
                                                              retry_after=_github_wait(r))
    if r.status == 401:
        if contains(message, "requires authentication"):
            return _Builder(Kind.MISSING, Format.GITHUB).set(code="requires_authentication", message=message)
        return by_expiry(r, Format.GITHUB, "bad_credentials", message)
    if r.status == 403:
        accepted = r.header("x-accepted-oauth-scopes")
        return _Builder(Kind.DENIED, Format.GITHUB).set(
            code="forbidden", message=message,
            required_scope=None if accepted is None or not accepted.strip() else accepted.strip())
    return None


def _github_wait(r: ResponseView) -> timedelta | None:
    ra = r.retry_after()
    if ra is not None:
        return ra
    reset = r.header("x-ratelimit-reset")
    if reset is not None:
        epoch = parse_long(reset.strip())
        if epoch is None:
            return None
        d = datetime.fromtimestamp(epoch, tz=timezone.utc) - r.now
        return timedelta(0) if d < timedelta(0) else d
    return None


# ---- Kubernetes ----

def kubernetes(r: ResponseView) -> _Builder | None:
    j = r.json()
    if j is None or text(j, "kind") != "Status" or "apiVersion" not in j:
        return None
    reason = text(j, "reason")
    message = text(j, "message")
    if reason is None:
        return None
    if reason == "Unauthorized":
        return by_expiry(r, Format.KUBERNETES, reason, message)
    if reason == "Forbidden":
        return _Builder(Kind.DENIED, Format.KUBERNETES).set(code=reason, message=message)
    if reason == "TooManyRequests":
        b = _Builder(Kind.RATE_LIMITED, Format.KUBERNETES).set(code=reason, message=message)
        details = j.get("details")
        after: Any = details.get("retryAfterSeconds") if isinstance(details, dict) else None
        return b.set(retry_after=timedelta(seconds=int(after))) if is_number(after) else b
    if reason in ("ServiceUnavailable", "Timeout"):
        return _Builder(Kind.UNAVAILABLE, Format.KUBERNETES).set(code=reason, message=message)
    if reason in ("Expired", "Gone"):
        return _Builder(Kind.UNKNOWN, Format.KUBERNETES).set(code=reason, message=message)
    return None


# ---- Vault ----

def _as_text(v: Any) -> str:
    if isinstance(v, (dict, list)) or v is None:
        return "" if v is not None else "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def vault(r: ResponseView) -> _Builder | None:
    j = r.json()
    errors = None if j is None else j.get("errors")
    if not isinstance(errors, list) or not errors or not isinstance(errors[0], str):
        return None
    t = "".join(_as_text(e) + "; " for e in errors)
    if contains(t, "invalid token"):
        b = by_expiry(r, Format.VAULT, "invalid token", t)
        if b.kind is Kind.EXPIRED:
            return b.set(recovery=Recovery.LOG_IN)
        return b.set(kind=Kind.INVALID, recovery=Recovery.LOG_IN)
    if contains(t, "permission denied"):
        if r.sent_token_expired():
            return _Builder(Kind.EXPIRED, Format.TOKEN_EXPIRY).set(
                code="permission denied", message=t, recovery=Recovery.LOG_IN, expired_at=r.sent_expiry())
        return _Builder(Kind.DENIED, Format.VAULT).set(code="permission denied", message=t)
    if contains(t, "vault is sealed") or contains(t, "standby"):
        return _Builder(Kind.UNAVAILABLE, Format.VAULT).set(code="sealed", message=t)
    return None


# ---- RFC 6750 / RFC 9449 challenges ----

def bearer(r: ResponseView) -> _Builder | None:
    challenged = False
    for c in r.challenges():
        if c.scheme not in ("bearer", "dpop"):
            continue
        challenged = True
        error = c.param("error")
        if error is not None:
            b = by_error(r, error, c.param("error_description"), c.param("scope"), c.param("claims"),
                         Format.DPOP if c.scheme == "dpop" else Format.BEARER)
            if b is not None:
                return b
    if challenged and r.status == 401:
        if not r.sent.sent:
            return _Builder(Kind.MISSING, Format.BEARER)
        # one was sent: the body's words decide ("Jwt is missing": not where the server looks), else its exp
        said = message_from_body(r, Format.BEARER, None)
        return said if said is not None else by_expiry_alone(r, Format.BEARER, None, None)
    return None


def by_error(r: ResponseView, error: str, description: str | None, scope: str | None, claims: str | None,
             fmt: Format) -> _Builder | None:
    """The RFC 6750 / RFC 9449 / CAE error codes, wherever they appear (header or JSON body)."""
    if error == "invalid_token":
        # the description's words decide, else the body's (Envoy and ESPv2 put "Jwt is expired" there), else exp
        said = words_verdict(description, fmt, error, description, r)
        if said is None:
            said = message_from_body(r, fmt, error)
        return said if said is not None else by_expiry_alone(r, fmt, error, description)
    if error == "insufficient_scope":
        missing = None if scope is None or not scope.strip() else re.split(r" +", scope.strip())
        return _Builder(Kind.DENIED, fmt).set(code=error, message=description, required_scope=scope,
                                              missing_scopes=missing)
    if error == "insufficient_claims":
        return _Builder(Kind.REVOKED, Format.AZURE).set(code=error, message=description, recovery=Recovery.LOG_IN,
                                                        claims_challenge=claims)
    if error == "use_dpop_nonce":
        return _Builder(Kind.INVALID, Format.DPOP).set(code=error, message=description,
                                                       recovery=Recovery.RETRY_WITH_NONCE, retryable=True,
                                                       dpop_nonce=r.header("DPoP-Nonce"))
    if error == "invalid_dpop_proof":
        return _Builder(Kind.INVALID, Format.DPOP).set(code=error, message=description)
    if error == "invalid_request":
        return _Builder(Kind.UNKNOWN, fmt).set(code=error, message=description)
    return None


# ---- RFC 6749 §5.2 bodies ----

def oauth(r: ResponseView) -> _Builder | None:
    j = r.json()
    error = text(j, "error")
    if error is None or isinstance(j.get("error"), dict):  # type: ignore[union-attr]
        return None
    description = text(j, "error_description")
    if error == "invalid_grant":
        # Okta's "invalid or expired" names two causes, so it stays INVALID
        if says_expired(description):
            return _Builder(Kind.EXPIRED, Format.OAUTH).set(code=error, message=description,
                                                            recovery=Recovery.LOG_IN, retryable=True)
        if meaning_of(description) is Meaning.REVOKED:
            return _Builder(Kind.REVOKED, Format.OAUTH).set(code=error, message=description, recovery=Recovery.LOG_IN)
        return _Builder(Kind.INVALID, Format.OAUTH).set(code=error, message=description, recovery=Recovery.LOG_IN)
    if error == "expired_token":
        return _Builder(Kind.EXPIRED, Format.OAUTH).set(code=error, message=description, recovery=Recovery.LOG_IN,
                                                        retryable=True)
    if error == "invalid_client":
        return _Builder(Kind.INVALID, Format.OAUTH).set(code=error, message=description)
    if error in ("unauthorized_client", "access_denied", "invalid_scope", "invalid_target"):
        return _Builder(Kind.DENIED, Format.OAUTH).set(code=error, message=description,
                                                       required_scope=text(j, "scope"))
    if error == "temporarily_unavailable":
        return _Builder(Kind.UNAVAILABLE, Format.OAUTH).set(code=error, message=description)
    if error == "slow_down":
        return _Builder(Kind.RATE_LIMITED, Format.OAUTH).set(code=error, message=description)
    if error == "invalid_request" and r.status == 401 and meaning_of(description) is Meaning.MISSING:
        return _Builder(Kind.MISSING, Format.OAUTH).set(code=error, message=description)  # Kong: "token is missing"
    if error in ("invalid_request", "unsupported_grant_type", "unsupported_token_type", "unsupported_response_type"):
        return _Builder(Kind.UNKNOWN, Format.OAUTH).set(code=error, message=description)
    return by_error(r, error, description, text(j, "scope"), text(j, "claims"), Format.OAUTH)


# ---- the body's own words ----

def message_words(r: ResponseView) -> _Builder | None:
    """Servers with no structured code: ``{"message":"Jwt is expired"}``, ``{"msg":"Token has expired"}``,
    ``{"detail":"Signature has expired."}``, Kong's ``{"exp":"token expired"}``, Auth0's ``{"statusCode":401,
    "error":"Unauthorized","message":"Expired token received ..."}``, or plain text. Asked after every structured
    format and before the status alone, and only for 401 and 403: a 500 that says "jwt expired" is a server
    bug, not an answer, and a 400's words are about the request too often ("parameter 'key' is missing")."""
    if r.status not in (401, 403):
        return None
    return message_from_body(r, Format.MESSAGE, None)


def message_from_body(r: ResponseView, fmt: Format, code: str | None) -> _Builder | None:
    """The verdict of the first body message that names a cause, in ``fmt``; None when none does. An expiry
    the body states as data beats the token's exp."""
    for said in r.body_messages():
        b = words_verdict(said, fmt, code, said, r)
        if b is not None:
            stated = r.body_expired_at() if b.kind is Kind.EXPIRED else None
            if stated is not None:
                b.set(expired_at=stated)
            return b
    return None


# ---- the status alone ----

def status_fallback(r: ResponseView) -> _Builder:
    s = r.status
    if s == 401:
        if r.sent.sent_none:
            return _Builder(Kind.MISSING, Format.HTTP_STATUS)
        return by_expiry(r, Format.HTTP_STATUS, None, None)
    if s == 403:
        if r.sent.sent_none:
            # Istio answers a request without a token "403 RBAC: access denied": attaching one is the fix
            return _Builder(Kind.MISSING, Format.HTTP_STATUS)
        if r.sent_token_expired():
            return _Builder(Kind.EXPIRED, Format.TOKEN_EXPIRY).set(expired_at=r.sent_expiry())
        return _Builder(Kind.DENIED, Format.HTTP_STATUS)
    if s == 429:
        return _Builder(Kind.RATE_LIMITED, Format.HTTP_STATUS)
    if s in (408, 502, 503, 504):
        return _Builder(Kind.UNAVAILABLE, Format.HTTP_STATUS)
    return _Builder(Kind.UNKNOWN, Format.HTTP_STATUS)


FORMATS: list[Recognizer] = [mayfly, azure_storage, service_bus, cosmos, aws, azure, google, github, kubernetes, vault,
                              bearer, oauth, message_words]
LAST = status_fallback

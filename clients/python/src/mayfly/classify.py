"""Tells what a failed HTTP response from any service means for the credential that was sent.

A faithful port of mayfly-client's ``dev.mayfly.client.classify``: the same formats asked in the same order
(Mayfly, Azure Storage, Service Bus, Cosmos DB, AWS, Azure, Google, GitHub, Kubernetes, Vault, RFC 6750/9449
challenges, RFC 6749 bodies, the body's own words, the status), the same verdicts, pinned by the shared
vectors in ``spec/auth-failures/``.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Mapping, Union

from ._challenge import Challenge, parse_challenges
from ._instants import parse_offset_date_time
from ._jwt import unverified_exp
from ._redaction import redact_message
from .clock import Clock, system_clock, to_datetime

MAX_BODY = 256 * 1024
"""Bodies beyond this are not parsed: error bodies are small, and a classifier must not be a parser DoS."""
_MAX_TEXT_BODY = 2048
"""A plain-text body longer than this is a page, not a message."""
_MESSAGE_FIELDS = ("error_description", "message", "Message", "msg", "detail", "error", "errorSummary", "exp", "nbf")

CATALOG_CODES = (
    "CREDENTIALS_EXPIRED", "CREDENTIALS_REVOKED", "CREDENTIALS_INVALID", "CREDENTIALS_MISSING",
    "PERMISSION_DENIED", "RATE_LIMITED", "UNAVAILABLE", "TIMEOUT", "USAGE", "PRECONDITION", "NOT_FOUND",
    "CONFLICT", "PARTIAL_FAILURE", "INTERNAL",
)
RETRYABLE_CODES = frozenset({"CREDENTIALS_EXPIRED", "RATE_LIMITED", "UNAVAILABLE", "TIMEOUT"})


class Recovery(str, enum.Enum):
    """What to do about a failure."""
    REFRESH = "REFRESH"
    LOG_IN = "LOG_IN"
    RETRY_WITH_NONCE = "RETRY_WITH_NONCE"
    RETRY_LATER = "RETRY_LATER"
    FIX_CLOCK = "FIX_CLOCK"
    REQUEST_PERMISSION = "REQUEST_PERMISSION"
    ATTACH_CREDENTIAL = "ATTACH_CREDENTIAL"
    REPLACE_CREDENTIAL = "REPLACE_CREDENTIAL"
    STOP = "STOP"


class Kind(str, enum.Enum):
    """The eight outcomes of classification."""
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    INVALID = "INVALID"
    MISSING = "MISSING"
    DENIED = "DENIED"
    RATE_LIMITED = "RATE_LIMITED"
    UNAVAILABLE = "UNAVAILABLE"
    UNKNOWN = "UNKNOWN"

    @property
    def error_code(self) -> str | None:
        """The catalog code; None for UNKNOWN."""
        return _KIND_CODE[self]

    @property
    def default_recovery(self) -> Recovery:
        return _KIND_RECOVERY[self]

    @property
    def default_retryable(self) -> bool:
        return self in (Kind.EXPIRED, Kind.RATE_LIMITED, Kind.UNAVAILABLE)


_KIND_CODE = {
    Kind.EXPIRED: "CREDENTIALS_EXPIRED", Kind.REVOKED: "CREDENTIALS_REVOKED", Kind.INVALID: "CREDENTIALS_INVALID",
    Kind.MISSING: "CREDENTIALS_MISSING", Kind.DENIED: "PERMISSION_DENIED", Kind.RATE_LIMITED: "RATE_LIMITED",
    Kind.UNAVAILABLE: "UNAVAILABLE", Kind.UNKNOWN: None,
}
_KIND_RECOVERY = {
    Kind.EXPIRED: Recovery.REFRESH, Kind.REVOKED: Recovery.LOG_IN, Kind.INVALID: Recovery.REPLACE_CREDENTIAL,
    Kind.MISSING: Recovery.ATTACH_CREDENTIAL, Kind.DENIED: Recovery.REQUEST_PERMISSION,
    Kind.RATE_LIMITED: Recovery.RETRY_LATER, Kind.UNAVAILABLE: Recovery.RETRY_LATER, Kind.UNKNOWN: Recovery.STOP,
}


class Format(str, enum.Enum):
    """Which response format decided the classification."""
    MAYFLY = "MAYFLY"
    OAUTH = "OAUTH"
    BEARER = "BEARER"
    DPOP = "DPOP"
    AWS = "AWS"
    AZURE = "AZURE"
    GOOGLE = "GOOGLE"
    GITHUB = "GITHUB"
    KUBERNETES = "KUBERNETES"
    VAULT = "VAULT"
    MESSAGE = "MESSAGE"
    """The body's free-text message, read for wording ("Jwt is expired", "Missing Authorization Header")."""
    TOKEN_EXPIRY = "TOKEN_EXPIRY"
    HTTP_STATUS = "HTTP_STATUS"


class SentCredential:
    """What the client knows of the credential it sent: nothing, that it sent none, or a token (and maybe
    when it expires). Never holds the token itself."""

    __slots__ = ("_state", "expires_at")

    def __init__(self, state: str, expires_at: datetime | None = None) -> None:
        self._state = state
        self.expires_at = expires_at

    @classmethod
    def unknown(cls) -> "SentCredential":
        return cls("unknown")

    @classmethod
    def none(cls) -> "SentCredential":
        return cls("none")

    @classmethod
    def opaque(cls) -> "SentCredential":
        return cls("token")

    @classmethod
    def expiring_at(cls, expires_at: datetime | float) -> "SentCredential":
        if not isinstance(expires_at, datetime):
            expires_at = to_datetime(expires_at)
        return cls("token", expires_at)

    @classmethod
    def jwt(cls, compact: str) -> "SentCredential":
        """A JWT that was sent: its ``exp`` is read without verifying it. The token is not kept."""
        exp = unverified_exp(compact)
        return cls.opaque() if exp is None else cls.expiring_at(exp)

    @property
    def sent(self) -> bool:
        return self._state == "token"

    @property
    def sent_none(self) -> bool:
        return self._state == "none"

    def __repr__(self) -> str:
        if self._state != "token":
            return f"SentCredential[{self._state}]"
        return f"SentCredential[token, expires_at={self.expires_at.isoformat() if self.expires_at else 'unknown'}]"


SentLike = Union[SentCredential, str, Mapping[str, Any], None]


@dataclass(frozen=True)
class AuthFailure:
    """What a failed response means for the credential that was sent. ``code`` is the catalog code a client
    reports (None when the failure is not an auth failure it can name); ``source_code`` is the server's own
    code as it wrote it. ``message`` is the server's description, shortened and redacted: safe to log."""

    kind: Kind
    recovery: Recovery
    retryable: bool
    status: int
    format: Format
    source_code: str | None = None
    message: str | None = None
    expired_at: datetime | None = None
    required_scope: str | None = None
    missing_scopes: tuple[str, ...] = ()
    retry_after: timedelta | None = None
    reauth_command: str | None = None
    dpop_nonce: str | None = None
    claims_challenge: str | None = None

    @property
    def code(self) -> str | None:
        return self.kind.error_code

    @property
    def retry_after_ms(self) -> int | None:
        return None if self.retry_after is None else int(self.retry_after / timedelta(milliseconds=1))

    def describe(self) -> str:
        k = self.kind
        if k is Kind.EXPIRED:
            what = "The credential expired" + ("" if self.expired_at is None else " at " + _iso(self.expired_at))
        elif k is Kind.REVOKED:
            what = "The credential was revoked"
        elif k is Kind.INVALID:
            what = "The credential was rejected as invalid"
        elif k is Kind.MISSING:
            what = "No credential reached the server"
        elif k is Kind.DENIED:
            what = "Permission denied" + ("" if self.required_scope is None else "; required: " + self.required_scope)
        elif k is Kind.RATE_LIMITED:
            what = "Rate limited"
        elif k is Kind.UNAVAILABLE:
            what = "The server is unavailable"
        else:
            what = f"The request failed with HTTP {self.status}"
        detail = self.format.value + ("" if self.source_code is None else " " + self.source_code)
        return f"{what} ({detail}{'' if self.message is None else ': ' + self.message})."


def _iso(d: datetime) -> str:
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Builder:
    """Mutable draft of an AuthFailure; recovery and retryable default from the kind."""

    def __init__(self, kind: Kind, fmt: Format) -> None:
        self.kind = kind
        self.format = fmt
        self.recovery: Recovery | None = None
        self.retryable: bool | None = None
        self.code: str | None = None
        self.message: str | None = None
        self.expired_at: datetime | None = None
        self.required_scope: str | None = None
        self.missing_scopes: list[str] | None = None
        self.retry_after: timedelta | None = None
        self.reauth_command: str | None = None
        self.dpop_nonce: str | None = None
        self.claims_challenge: str | None = None

    def set(self, **kw: Any) -> "_Builder":
        for k, v in kw.items():
            if k == "message":
                v = redact_message(v)
            elif k == "required_scope":
                v = None if v is None or not v.strip() else v
            elif k == "retry_after":
                v = None if v is None or v < timedelta(0) else v
            setattr(self, k, v)
        return self

    def build(self, status: int) -> AuthFailure:
        exp = self.expired_at.replace(microsecond=0) if self.expired_at is not None else None
        return AuthFailure(
            kind=self.kind,
            recovery=self.recovery if self.recovery is not None else self.kind.default_recovery,
            retryable=self.retryable if self.retryable is not None else self.kind.default_retryable,
            status=status, format=self.format, source_code=self.code, message=self.message, expired_at=exp,
            required_scope=self.required_scope, missing_scopes=tuple(self.missing_scopes or ()),
            retry_after=self.retry_after, reauth_command=self.reauth_command, dpop_nonce=self.dpop_nonce,
            claims_challenge=self.claims_challenge)


class ResponseView:
    """One response as the recognizers see it; built per classification."""

    def __init__(self, status: int, headers: dict[str, list[str]], body: str, sent: SentCredential,
                 now: datetime, skew: timedelta) -> None:
        self.status = status
        self._headers = headers
        self.body = body
        self.sent = sent
        self.now = now
        self.skew = skew
        self._json: Any = None
        self._json_parsed = False
        self._challenges: list[Challenge] | None = None
        self._messages: list[str] | None = None

    def header(self, name: str) -> str | None:
        values = self._headers.get(name.lower())
        return values[0] if values else None

    def json(self) -> dict[str, Any] | None:
        if not self._json_parsed:
            self._json_parsed = True
            trimmed = self.body.strip()
            if trimmed.startswith("{") and len(trimmed) <= MAX_BODY:
                try:
                    node, _ = json.JSONDecoder().raw_decode(trimmed)
                    self._json = node if isinstance(node, dict) else None
                except ValueError:
                    self._json = None
        return self._json

    def challenges(self) -> list[Challenge]:
        if self._challenges is None:
            self._challenges = parse_challenges(self._headers.get("www-authenticate", []))
        return self._challenges

    def sent_expiry(self) -> datetime | None:
        """The sent token's expiry when it has passed (allowing the clock skew), for an answer that calls the
        token expired without saying when; None when it lies ahead. A server that calls a token expired whose
        ``exp`` is still ahead (a replay with a token minted a moment ago, a skewed clock) has not said when
        anything expired, and a future instant reported as "expired at" would be false."""
        exp = self.sent.expires_at
        return None if exp is None or exp > self.now + self.skew else exp

    def body_messages(self) -> list[str]:
        """The human-readable messages of the body, most specific first: the usual message fields of a JSON
        object (``error_description``, ``message``, ``msg``, ``detail``, a string ``error``, Okta's
        ``errorSummary``, ``error.message``, and Kong's per-claim ``exp``/``nbf``), or a short plain-text body as
        a whole. Markup (HTML, XML) is left to the formats that know it."""
        if self._messages is None:
            out: list[str] = []
            j = self.json()
            if j is not None:
                for name in _MESSAGE_FIELDS:
                    _add_text(out, j.get(name))
                error = j.get("error")
                if isinstance(error, dict):
                    _add_text(out, error.get("message"))
            else:
                t = self.body.strip()
                if t and len(t) <= _MAX_TEXT_BODY and not t.startswith(("<", "{", "[")):
                    out.append(t)
            self._messages = out
        return self._messages

    def body_expired_at(self) -> datetime | None:
        """An expiry instant the JSON body states as data: jsonwebtoken's ``TokenExpiredError.expiredAt``, as
        express-style error handlers serialize it (top level, ``inner`` or ``data``)."""
        j = self.json()
        if j is None:
            return None
        for node in (j, j.get("inner"), j.get("data")):
            v = _first_text(node, "expiredAt", "expired_at")
            if v is not None:
                return parse_offset_date_time(v)
        return None

    def sent_token_expired(self) -> bool:
        exp = self.sent.expires_at
        return exp is not None and not (self.now + self.skew < exp)

    def sent_token_valid(self) -> bool:
        exp = self.sent.expires_at
        return exp is not None and self.now + self.skew < exp

    def retry_after(self) -> timedelta | None:
        v = self.header("Retry-After")
        if v is None:
            return None
        v = v.strip()
        seconds = parse_long(v)
        if seconds is not None:
            return None if seconds < 0 else timedelta(seconds=min(seconds, 86_400))
        try:
            from email.utils import parsedate_to_datetime
            at = parsedate_to_datetime(v)
        except (TypeError, ValueError, IndexError):
            return None
        if at is None:
            return None
        if at.tzinfo is None:
            at = at.replace(tzinfo=timezone.utc)
        d = at - self.now
        return timedelta(0) if d < timedelta(0) else d


def _add_text(out: list[str], v: Any) -> None:
    if isinstance(v, str) and v.strip():
        out.append(v)


def _first_text(node: Any, *names: str) -> str | None:
    """The first of ``names`` with a non-blank scalar value in ``node`` (Jackson's asText of it)."""
    if not isinstance(node, dict):
        return None
    for name in names:
        v = node.get(name)
        if v is None or isinstance(v, (dict, list)):
            continue
        t = ("true" if v else "false") if isinstance(v, bool) else str(v)
        if t.strip():
            return t
    return None


def parse_long(v: str) -> int | None:
    import re
    return int(v) if re.fullmatch(r"[+-]?[0-9]{1,18}", v) else None


def classify(status: int, headers: Any = None, body: str | bytes | None = None, sent: SentLike = None, *,
             clock: Clock = system_clock, clock_skew: float = 30.0) -> AuthFailure | None:
    """Classify a response. ``headers``: a mapping (values a string or a list of strings), httpx/requests
    headers, or (name, value) pairs. ``sent``: a SentCredential, the token that was sent (its ``exp`` is read
    without verifying it), ``"none"``, ``"opaque"``, ``{"exp": instant}``, or None (unknown).
    Returns None for a status below 400."""
    from ._formats import FORMATS, LAST

    if status < 400:
        return None
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body[: MAX_BODY + 1]).decode("utf-8", errors="replace")
    view = ResponseView(status, normalize_headers(headers), body or "", sent_credential(sent),
                        to_datetime(clock()), timedelta(seconds=clock_skew))
    b = None
    for recognizer in FORMATS:
        b = recognizer(view)
        if b is not None:
            break
    if b is None:
        b = LAST(view)
    if b.retry_after is None:
        b.set(retry_after=view.retry_after())
    if b.kind is Kind.EXPIRED and b.expired_at is None:
        b.expired_at = view.sent_expiry()
    return b.build(status)


def sent_credential(sent: SentLike) -> SentCredential:
    if sent is None:
        return SentCredential.unknown()
    if isinstance(sent, SentCredential):
        return sent
    if isinstance(sent, Mapping):
        from .clock import parse_instant
        exp = sent.get("exp")
        if isinstance(exp, str):
            return SentCredential.expiring_at(parse_instant(exp))
        if isinstance(exp, (int, float)) and not isinstance(exp, bool):
            return SentCredential.expiring_at(float(exp))
        return SentCredential.opaque()
    if sent == "none":
        return SentCredential.none()
    if sent == "opaque":
        return SentCredential.opaque()
    if sent == "unknown":
        return SentCredential.unknown()
    return SentCredential.jwt(str(sent))


def normalize_headers(headers: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if headers is None:
        return out
    items: Iterable[tuple[str, Any]]
    if hasattr(headers, "multi_items"):  # httpx.Headers
        items = headers.multi_items()
    elif isinstance(headers, Mapping) or hasattr(headers, "items"):
        items = headers.items()
    else:
        items = headers
    for name, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        out.setdefault(str(name).lower(), []).extend(str(v) for v in values)
    return out


__all__ = ["AuthFailure", "Format", "Kind", "Recovery", "SentCredential", "classify", "MAX_BODY"]
_ = field

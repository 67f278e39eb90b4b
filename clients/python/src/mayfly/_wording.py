"""What free text from a server says about the credential, for the many servers that say it only in words:
gateways ("Jwt is expired", "the token has expired"), JOSE libraries whose messages servers pass on ("jwt
expired", "Signature has expired", ``"exp" claim timestamp check failed``, "Expired JWT", "Jwt expired at ...",
"token is expired by 5m0s", IDX10223), and vendors' messages ("AKV10000: Request is missing a Bearer or PoP
token"). A port of the Java SDK's ``Wording``; spec/README.md "Reading words" holds the rules every client
mirrors.

Each meaning is a class of wording, not one vendor's string. Text that names two causes at once ("invalid or
expired", "missing or invalid", "missing or malformed") says nothing: the caller falls back on the token's
``exp``. Order matters: expiry before "not yet valid" (Graph's "expired or is not yet valid" is about an
expired token), both before the wrong-token words (PyJWT's "Signature has expired" is expiry).
"""

from __future__ import annotations

import enum
import re

from ._expiry import stated_expiry
from .classify import Format, Kind, Recovery, ResponseView, _Builder


class Meaning(enum.Enum):
    EXPIRED = "EXPIRED"
    """The credential's lifetime is over."""
    NOT_YET_VALID = "NOT_YET_VALID"
    """The credential's lifetime has not begun: a clock is off, refreshing does not help."""
    REVOKED = "REVOKED"
    MISSING = "MISSING"
    """The server saw no credential where it looks (a token sent elsewhere counts as missing)."""
    WRONG_CREDENTIAL = "WRONG_CREDENTIAL"
    """The credential is for another audience or issuer, or its signature or key is wrong."""


_MAX_TEXT = 4096

# Two causes joined by "or": "invalid or expired", "is invalid or has expired", "missing or malformed".
_TWO_CAUSES = re.compile(
    r"\b(invalid|malformed|missing|revoked|unknown|bad|expired)\b[^.;]{0,20}?\bor\b(\s+(has|is|been|was|has been))*\s+"
    r"(invalid|malformed|missing|revoked|expired|unknown)\b")
_EXPIRED = re.compile(
    r"expired|token expir|\bnot active\b|lifetime validation failed|\bidx10223\b"
    r"|\"exp\" claim timestamp check failed|\bexp claim\b[^.]{0,30}\bfailed")
# Expiry wording about a request's or signature's timestamp (AWS SigV4, EC2 RequestExpired), not a credential.
_REQUEST_TIME = re.compile(r"request has expired|signature expired|signature not yet current")
_NOT_YET_VALID = re.compile(
    r"not yet valid|not valid yet|not valid before|\"nbf\" claim timestamp check failed|\bused before\b|\bimmature\b")
_MISSING = re.compile(
    r"missing|not provided|\bno (api key|key|token|jwt|bearer|credentials?|authorization)\b"
    r"|not found in (the )?request|header was not found")
_CREDENTIAL_WORD = re.compile(r"token|jwt|credential|authori[sz]ation|bearer|\bkey\b")
# Words that make "missing" about something other than the credential ("missing required scopes").
_MISSING_ELSEWHERE = re.compile(r"scope|claim|permission|role")
_WRONG_CREDENTIAL = re.compile(r"audience|issuer|\b(iss|aud)\b.{0,3}claim|signature|invalid (api |subscription )?key\b")


def meaning_of(text: str | None) -> Meaning | None:
    """The meaning of ``text``, or None when it names no single cause (or is empty)."""
    if text is None or not text.strip():
        return None
    t = text[:_MAX_TEXT].lower()
    if _TWO_CAUSES.search(t):
        return None
    request_time = _REQUEST_TIME.search(t) is not None
    if not request_time and _EXPIRED.search(t):
        return Meaning.EXPIRED
    if _NOT_YET_VALID.search(t):
        return Meaning.NOT_YET_VALID
    if "revoked" in t:
        return Meaning.REVOKED
    if _MISSING.search(t) and _CREDENTIAL_WORD.search(t) and not _MISSING_ELSEWHERE.search(t):
        return Meaning.MISSING
    if not request_time and _WRONG_CREDENTIAL.search(t):
        return Meaning.WRONG_CREDENTIAL
    return None


def says_expired(text: str | None) -> bool:
    """True when the text says the credential expired (not that a request or signature timestamp did)."""
    return meaning_of(text) is Meaning.EXPIRED


def verdict(text: str | None, fmt: Format, code: str | None, message: str | None,
            r: ResponseView) -> _Builder | None:
    """The verdict the words give, or None when they give none. The sent token's expiry (when passed) is used
    for EXPIRED when the text states no time of its own."""
    meaning = meaning_of(text)
    if meaning is None:
        return None
    if meaning is Meaning.EXPIRED:
        stated = stated_expiry(text)
        return _Builder(Kind.EXPIRED, fmt).set(code=code, message=message,
                                               expired_at=stated if stated is not None else r.sent_expiry())
    if meaning is Meaning.NOT_YET_VALID:
        return _Builder(Kind.INVALID, fmt).set(code=code, message=message, recovery=Recovery.FIX_CLOCK,
                                               retryable=False)
    if meaning is Meaning.REVOKED:
        return _Builder(Kind.REVOKED, fmt).set(code=code, message=message)
    if meaning is Meaning.MISSING:
        return _Builder(Kind.MISSING, fmt).set(code=code, message=message)
    return _Builder(Kind.INVALID, fmt).set(code=code, message=message)

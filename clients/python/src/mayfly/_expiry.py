"""Expiry times a server states in its answer: in its words (StatedExpiry) or as a validity window with its
own clock (ValidityWindow). Ports of the Java SDK's classes of the same names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ._instants import from_epoch_seconds, parse_offset_date_time, parse_rfc1123, utc_time
from .classify import Format, Kind, Recovery, _Builder

_ISO = re.compile(
    r"expired at:?\s*'?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))", re.IGNORECASE)
_INVARIANT = re.compile(r"expired at:?\s*'?(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})'?", re.IGNORECASE)
_SERVICE_BUS = re.compile(r"expiration time:\s*'(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})Z?'", re.IGNORECASE)
_ARM = re.compile(r"expiry UTC time '([^']{1,40})'")
_ARM_TIME = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)")
_EPOCH = re.compile(r"request has expired:\s*(\d{1,12})\b", re.IGNORECASE)


def stated_expiry(text: str | None) -> datetime | None:
    """The expiry instant a server states in its own words, in the forms services write it, or None:

    - ISO 8601 after "expired at" (Spring Security's "Jwt expired at 2026-11-22T13:55:00Z", GCS's "Request
      signature expired at: 2020-07-29T18:17:19+00:00");
    - .NET's invariant culture after "expired at" (ASP.NET Core's "The token expired at '11/22/2026 13:55:00'");
    - Service Bus's "Expiration time: '2018-11-04 05:05:25Z'";
    - ARM's "expiry UTC time '3/19/2023 8:55:46 AM'";
    - GCS V2 signed URLs' "Request has expired: 1600000000" (the URL's ``Expires``, epoch seconds).

    Times without a zone are UTC, as every one of these services writes them. The first form found decides:
    when it is no valid time, the answer is None.
    """
    if not text:
        return None
    m = _ISO.search(text)
    if m:
        return parse_offset_date_time(m[1])
    m = _INVARIANT.search(text)
    if m:
        return utc_time(int(m[3]), int(m[1]), int(m[2]), int(m[4]), int(m[5]), int(m[6]), smart=True)
    m = _SERVICE_BUS.search(text)
    if m:
        return utc_time(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6]), smart=True)
    m = _ARM.search(text)
    if m:
        return _arm_time(m[1])
    m = _EPOCH.search(text)
    if m:
        return from_epoch_seconds(int(m[1]))
    return None


def _arm_time(t: str) -> datetime | None:
    """ARM's ``M/d/yyyy h:mm:ss a`` (US English, 12-hour clock)."""
    m = _ARM_TIME.fullmatch(t)
    if m is None:
        return None
    hour = int(m[4])
    if not 1 <= hour <= 12:
        return None
    hour = hour % 12 + (12 if m[7] == "PM" else 0)
    return utc_time(int(m[3]), int(m[1]), int(m[2]), hour, int(m[5]), int(m[6]), smart=True)


_DATE = r"([A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT)"
_SAS = re.compile(r"Start \[" + _DATE + r"\] - Expiry \[" + _DATE + r"\] - Current \[" + _DATE + r"\]")
_COSMOS = re.compile("token start time: " + _DATE + ", token expiry time: " + _DATE
                     + ", current server time: " + _DATE)


@dataclass(frozen=True)
class ValidityWindow:
    """A credential's validity window as a server reports it when a request falls outside it, with the server's
    own time: Azure Storage SAS ("Signature not valid in the specified time frame: Start [..] - Expiry [..] -
    Current [..]") and Cosmos DB ("token start time: .., token expiry time: .., current server time: ..").
    Server time past the expiry: the credential expired then. Server time before the start: the credential
    was made by a clock running ahead, which a new one from the same clock does not fix."""

    start: datetime
    expiry: datetime
    current: datetime

    @staticmethod
    def find(text: str | None) -> "ValidityWindow | None":
        """The window a text reports, or None when it reports none (or a date in it is no date)."""
        if text is None:
            return None
        for pattern in (_SAS, _COSMOS):
            m = pattern.search(text)
            if m:
                start, expiry, current = parse_rfc1123(m[1]), parse_rfc1123(m[2]), parse_rfc1123(m[3])
                if start is None or expiry is None or current is None:
                    return None
                return ValidityWindow(start, expiry, current)
        return None

    def verdict(self, code: str | None, message: str | None) -> _Builder | None:
        """EXPIRED at the window's end, INVALID + FIX_CLOCK before its start, None when the time was inside it."""
        if self.current > self.expiry:
            return _Builder(Kind.EXPIRED, Format.AZURE).set(code=code, message=message, expired_at=self.expiry)
        if self.current < self.start:
            return _Builder(Kind.INVALID, Format.AZURE).set(code=code, message=message, recovery=Recovery.FIX_CLOCK,
                                                             retryable=False)
        return None

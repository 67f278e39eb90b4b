"""The date-time forms servers write in error answers, read as the Java SDK's java.time reads them: ISO 8601
with an offset strictly (a day the month does not have is no date), the patterned forms "smartly" (day 31 of
a 30-day month is its last day), RFC 1123 with its day of the week checked against the date. Each answers an
aware UTC datetime, or None when the text is no such time; never an exception.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone

_ISO_OFFSET = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?)",
    re.IGNORECASE)
_RFC_1123 = re.compile(
    r"(?:([A-Za-z]{3}), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|[+-]\d{4})")
_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]  # datetime.weekday() order


def parse_offset_date_time(text: str | None) -> datetime | None:
    """Java's OffsetDateTime.parse: ``2026-11-22T13:55:00Z``, ``...T13:55:00.5+00:00``, ``...T13:55Z``."""
    m = None if text is None else _ISO_OFFSET.fullmatch(text)
    if m is None:
        return None
    local = utc_time(int(m[1]), int(m[2]), int(m[3]), int(m[4]), int(m[5]), int(m[6] or 0), smart=False)
    offset = _offset(m[8])
    if local is None or offset is None:
        return None
    fraction = timedelta(microseconds=int((m[7] or "0").ljust(6, "0")[:6]))
    return local + fraction - offset


def parse_rfc1123(text: str | None) -> datetime | None:
    """Java's RFC_1123_DATE_TIME: ``Sun, 22 Nov 2026 13:55:00 GMT`` (names in any case, weekday optional but
    checked)."""
    m = None if text is None else _RFC_1123.fullmatch(text)
    if m is None or m[3].lower() not in _MONTHS:
        return None
    local = utc_time(int(m[4]), _MONTHS.index(m[3].lower()) + 1, int(m[2]), int(m[5]), int(m[6]), int(m[7] or 0),
                     smart=True)
    if local is None:
        return None
    if m[1] is not None and m[1].lower() != _DAYS[local.weekday()]:
        return None
    if m[8] == "GMT":
        return local
    hours, minutes = int(m[8][1:3]), int(m[8][3:5])
    if hours > 18 or minutes > 59:
        return None
    sign = -1 if m[8][0] == "-" else 1
    return local - sign * timedelta(hours=hours, minutes=minutes)


def utc_time(year: int, month: int, day: int, hour: int, minute: int, second: int, *,
             smart: bool) -> datetime | None:
    """A UTC wall-clock time, or None when a field is out of range. Not ``smart`` refuses a day past the month's
    end, as ISO parsing does; ``smart`` moves it to the month's last day, as java.time's patterned formatters do
    (both refuse day 0 or 32, month 13, hour 24, minute or second 60)."""
    if not (1 <= year <= 9999 and 1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59
            and second <= 59):
        return None
    last = calendar.monthrange(year, month)[1]
    if day > last:
        if not smart:
            return None
        day = last
    return datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc)


def from_epoch_seconds(seconds: int) -> datetime | None:
    """An epoch-seconds instant, or None beyond what datetime holds (year 9999)."""
    try:
        return datetime.fromtimestamp(seconds, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def _offset(text: str) -> timedelta | None:
    if text in ("Z", "z"):
        return timedelta(0)
    parts = [int(p) for p in text[1:].split(":")]
    h, m, s = parts[0], parts[1], parts[2] if len(parts) > 2 else 0
    if h > 18 or m > 59 or s > 59:
        return None
    total = h * 3600 + m * 60 + s
    if total > 18 * 3600:
        return None
    return timedelta(seconds=-total if text[0] == "-" else total)

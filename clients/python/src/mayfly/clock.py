"""Time as an input: every component takes a clock (a callable returning epoch seconds, like ``time.time``)
so tests move time instead of sleeping."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timezone
from typing import Callable

Clock = Callable[[], float]
"""Returns the current time as epoch seconds (``time.time`` is one)."""

system_clock: Clock = time.time


class ManualClock:
    """A clock that moves only when told to; thread-safe."""

    def __init__(self, start: float | datetime | str = 0.0) -> None:
        if isinstance(start, str):
            start = parse_instant(start)
        if isinstance(start, datetime):
            start = start.timestamp()
        self._now = float(start)
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds

    def set(self, epoch_seconds: float) -> None:
        with self._lock:
            self._now = float(epoch_seconds)


def parse_instant(text: str) -> datetime:
    """An ISO-8601 instant (``2026-11-22T14:00:00Z``) as an aware UTC datetime; ValueError when not one."""
    t = text.strip()
    if t.endswith(("Z", "z")):
        t = t[:-1] + "+00:00"
    # Python 3.10's fromisoformat takes only 3 or 6 fraction digits; Java's Instant.parse takes 0 to 9.
    t = re.sub(r"\.(\d+)", lambda m: "." + (m.group(1) + "000000")[:6], t, count=1)
    d = datetime.fromisoformat(t)
    if d.tzinfo is None:
        raise ValueError("instant without a zone: " + text)
    return d.astimezone(timezone.utc)


def to_datetime(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc)


def format_instant(d: datetime) -> str:
    return d.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

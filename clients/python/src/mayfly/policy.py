"""When to refresh and how long to wait between attempts: ports of mayfly-client's RefreshPolicy and Backoff."""

from __future__ import annotations

import random as _random
from dataclasses import dataclass


@dataclass(frozen=True)
class RefreshPolicy:
    """Refresh at the broker's ``refresh_after`` plus a random share of the lifetime, never later than a fixed
    share of it, so agents started together still spread their refreshes and there is time left to ride out
    an outage::

        L       = lifetime (expires_in)
        advised = refresh_after if 0 < refresh_after < L, else L * U(fallback_from, fallback_to)
        refresh = min(advised + U(0, jitter * L), latest * L)
    """

    jitter: float = 0.1
    latest: float = 0.9
    fallback_from: float = 0.6
    fallback_to: float = 0.8

    def __post_init__(self) -> None:
        if not 0 <= self.jitter <= 0.5:
            raise ValueError("jitter must be within [0, 0.5]")
        if not 0 < self.latest <= 1:
            raise ValueError("latest must be within (0, 1]")
        if not 0 < self.fallback_from <= self.fallback_to < 1:
            raise ValueError("fallback window must satisfy 0 < from <= to < 1")

    def refresh_delay(self, lifetime: float, refresh_after: float | None, rng: _random.Random) -> float:
        """Seconds after issue at which to refresh a token of ``lifetime`` seconds."""
        life = max(0.0, lifetime)
        if refresh_after is not None and 0 < refresh_after < life:
            advised = float(refresh_after)
        else:
            advised = life * (self.fallback_from + (self.fallback_to - self.fallback_from) * rng.random())
        at = advised + (self.jitter * life * rng.random() if self.jitter > 0 else 0.0)
        return max(0.0, min(at, self.latest * life))


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with full jitter: before retry n (1-based) wait U(0, min(cap, base * 2^(n-1))), plus
    the server's Retry-After (capped at cap) when it sent one, at least 1 ms. Full jitter spreads a fleet that
    lost the broker at the same moment instead of bringing it back in waves."""

    base: float = 0.2
    cap: float = 30.0

    def __post_init__(self) -> None:
        if not 0 < self.base <= self.cap:
            raise ValueError("need 0 < base <= cap")

    def ceiling(self, attempt: int) -> float:
        doublings = max(0, attempt - 1)
        return self.cap if doublings >= 40 else min(self.cap, self.base * (2 ** doublings))

    def delay(self, attempt: int, retry_after: float | None, rng: _random.Random) -> float:
        floor = 0.0 if retry_after is None or retry_after < 0 else min(retry_after, self.cap)
        return max(0.001, floor + self.ceiling(attempt) * rng.random())

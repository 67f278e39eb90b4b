"""RevocationFeed: follows the broker's revocation stream (``GET /v1/revocations/stream``, server-sent events)
into an in-memory set that a Verifier consults, like mayfly-verifier's RevocationFeedSubscriber.

- Resumes with ``Last-Event-ID`` (the last sequence applied) after any disconnect, so nothing is missed.
- A revocation of a kind this client does not know is skipped (its sequence consumed) and counted in
  ``unknown_kinds``; event types it does not know are ignored; garbage lines are ignored; a line longer than
  64 KiB ends the connection (never an unbounded read); a malformed revocation ends the connection too.
- An entry is dropped once every token it covers has expired (``covers_until``), so memory stays bounded.
- When nothing (event or heartbeat) was heard for ``stale_after`` seconds the feed is stale: ``fail_closed``
  (default) makes the verifier answer UNAVAILABLE rather than accept a token that may be revoked.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any, Callable, Iterator

import httpx

from .clock import Clock, parse_instant, system_clock
from .errors import CredentialsRevoked, Unavailable
from .policy import Backoff

MAX_LINE = 64 * 1024
KINDS = {"agent": "sub", "session": "sid", "task": "task", "token": "jti"}  # broadest first
REAUTH = {"token": "mayfly auth refresh", "session": "mayfly auth login", "task": None, "agent": None}


class FeedError(Exception):
    """The stream said something that cannot be applied; the connection is dropped and resumed."""


class RevocationFeed:
    def __init__(self, broker: str, token: Callable[[], Any], *, clock: Clock | None = None,
                 stale_after: float = 60.0, fail_closed: bool = True, http: httpx.Client | None = None,
                 backoff: Backoff | None = None) -> None:
        """``token``: returns the bearer token (a str or AccessToken) of an agent with
        ``mayfly:revocations:read``; e.g. ``TokenProvider(...).token``."""
        self.url = broker.rstrip("/") + "/v1/revocations/stream"
        self._token = token
        self.clock = clock or system_clock
        self.stale_after = stale_after
        self.fail_closed = fail_closed
        self._http = http or httpx.Client(timeout=httpx.Timeout(10.0, read=stale_after))
        self._backoff = backoff or Backoff(0.2, 10.0)
        self._entries: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._lock = threading.Condition()
        self.last_sequence = 0
        self.last_heard: float | None = None
        self.unknown_kinds: Counter[str] = Counter()
        self.ignored_lines = 0
        self.connections = 0
        self._closed = False
        self._thread: threading.Thread | None = None
        self._response: httpx.Response | None = None

    # ---- lifecycle ----

    def start(self) -> "RevocationFeed":
        self._thread = threading.Thread(target=self._run, name="mayfly-revocation-feed", daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._closed = True
        r = self._response
        if r is not None:
            try:
                r.close()
            except Exception:  # noqa: BLE001 - closing from another thread; the reader ends either way
                pass
        with self._lock:
            self._lock.notify_all()
        try:
            self._http.close()  # closes the pooled connection the reader is blocked on
        except Exception:  # noqa: BLE001
            pass
        if self._thread is not None:
            self._thread.join(1.0)  # a reader blocked in a read ends at the next heartbeat (daemon thread)

    def __enter__(self) -> "RevocationFeed":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_for(self, seq: int, timeout: float = 10.0) -> bool:
        """Blocks (real time) until the feed has applied sequence ``seq``."""
        with self._lock:
            return self._lock.wait_for(lambda: self.last_sequence >= seq, timeout)

    # ---- the verifier's question ----

    def check(self, claims: dict[str, Any]) -> None:
        """Raises CredentialsRevoked if any revocation covers these claims; Unavailable when stale and fail-closed."""
        now = self.clock()
        if self.fail_closed and (self.last_heard is None or now - self.last_heard > self.stale_after):
            e = Unavailable("Revocation status is unavailable.", retry_after_ms=1000)
            e.reason = "REVOCATIONS_UNAVAILABLE"  # type: ignore[attr-defined]
            raise e
        with self._lock:
            for kind, claim in KINDS.items():
                target = claims.get(claim)
                if not isinstance(target, str):
                    continue
                entry = self._entries.get((kind, target))
                if entry is not None and now < entry[0]:
                    revoked = CredentialsRevoked(f"Access token was revoked ({kind}).", reauth_command=REAUTH[kind])
                    revoked.reason = "REVOKED"  # type: ignore[attr-defined]
                    raise revoked

    def __len__(self) -> int:
        return len(self._entries)

    # ---- reading ----

    def _run(self) -> None:
        attempt = 0
        while not self._closed:
            try:
                self._connect_once()
                attempt = 0
            except (httpx.HTTPError, FeedError, OSError, ValueError):
                pass
            except Exception:  # noqa: BLE001 - the feed thread must never die silently; it reconnects
                pass
            if self._closed:
                return
            attempt += 1
            import random
            delay = self._backoff.delay(attempt, None, random.Random())
            with self._lock:
                self._lock.wait(delay)

    def _connect_once(self) -> None:
        t = self._token()
        value = t if isinstance(t, str) else t.value
        headers = {"Authorization": "Bearer " + value, "Accept": "text/event-stream"}
        if self.last_sequence:
            headers["Last-Event-ID"] = str(self.last_sequence)
        with self._http.stream("GET", self.url, headers=headers) as r:
            self._response = r
            self.connections += 1
            if r.status_code != 200:
                raise FeedError(f"HTTP {r.status_code}")
            self.read_stream(r.iter_bytes())
        self._response = None

    def read_stream(self, chunks: Iterator[bytes]) -> None:
        """Applies an SSE byte stream (public so a test or another transport can feed it)."""
        event: str | None = None
        data: list[str] = []
        last_id: str | None = None
        for line in _lines(chunks):
            if self._closed:
                return
            if line == "":
                if data or event:
                    self._on_event(event or "message", last_id, "\n".join(data))
                event, data = None, []
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if name == "event":
                event = value
            elif name == "data":
                data.append(value)
            elif name == "id":
                last_id = value
            elif name == "retry":
                pass
            else:
                self.ignored_lines += 1

    def _on_event(self, event: str, _id: str | None, data: str) -> None:
        if event == "revocation":
            try:
                d = json.loads(data)
                seq = int(d["seq"])
                kind = d["kind"]
                target = d["target"]
                covers = parse_instant(d["covers_until"]).timestamp() if d.get("covers_until") else float("inf")
                if not isinstance(kind, str) or not isinstance(target, str):
                    raise ValueError("kind and target must be strings")
            except (ValueError, KeyError, TypeError):
                raise FeedError("a malformed revocation") from None
            if kind in KINDS:
                with self._lock:
                    old = self._entries.get((kind, target))
                    if old is None or covers > old[0]:
                        self._entries[(kind, target)] = (covers, d.get("reason"))
            elif len(self.unknown_kinds) < 16 or kind in self.unknown_kinds:
                self.unknown_kinds[kind] += 1
            self._advance(seq)
        elif event == "heartbeat":
            self._advance(self.last_sequence)
            self._prune()
        # other event types: a newer broker's; nothing to apply, and no proof of liveness

    def _advance(self, seq: int) -> None:
        with self._lock:
            self.last_heard = self.clock()
            if seq > self.last_sequence:
                self.last_sequence = seq
            self._lock.notify_all()

    def _prune(self) -> None:
        now = self.clock()
        with self._lock:
            for k in [k for k, (covers, _) in self._entries.items() if covers <= now]:
                del self._entries[k]


def _lines(chunks: Iterator[bytes]) -> Iterator[str]:
    buf = b""
    for chunk in chunks:
        buf += chunk
        while True:
            i = buf.find(b"\n")
            if i < 0:
                break
            line, buf = buf[:i], buf[i + 1:]
            if line.endswith(b"\r"):
                line = line[:-1]
            yield line.decode("utf-8", errors="replace")
        if len(buf) > MAX_LINE:
            raise FeedError("a line longer than 64 KiB")
    if buf:
        yield buf.decode("utf-8", errors="replace")

"""TokenProvider: the session token and per-task tokens for a synchronous agent, kept fresh (see docs/python.md).

Thread-safe. Each token has one renewal lock: callers whose token is still valid never wait (the one that finds
it due renews it, the others carry on with the current one); callers without a valid token queue on the lock
and find the renewal's result when they get it: a hundred threads at expiry cause one broker call.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Sequence

import httpx

from ._broker import REVOKE_PATH, TOKEN_PATH, BrokerRejected, BrokerUnreachable, SyncBroker
from ._cache import CachedSession, renewed
from ._core import Config, Fallback, Slot, TaskKey
from .clock import Clock
from .dpop import DpopKey
from .errors import MayflyError, Timeout
from .policy import Backoff, RefreshPolicy
from .token import AccessToken


class TokenProvider:
    """Hands out Mayfly tokens: from client credentials (``client_id``/``client_secret``), from a token
    (``token``, e.g. MAYFLY_TOKEN; never refreshed), or from the ``mayfly`` CLI's cached session
    (``use_cli_session=True``, under ``mayfly_home`` or $MAYFLY_HOME). ``from_env()`` picks as the CLI does.
    ``client_id`` with ``client_assertion`` (``mayfly.assertions``) logs in without a secret (RFC 7523), the
    assertion audienced to ``issuer`` (default: the first broker URL). ``dpop_key`` (``mayfly.dpop.DpopKey``) binds
    every token to that key: each token request carries a DPoP proof (RFC 9449), a nonce demand is retried once."""

    def __init__(self, broker: str | Sequence[str] | None = None, *, client_id: str | None = None,
                 client_secret: str | None = None, token: str | None = None, use_cli_session: bool = False,
                 mayfly_home: Any = None, scopes: Sequence[str] | str | None = None,
                 fallback: Fallback | None = None, clock: Clock | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: Any = None, refresh_policy: RefreshPolicy | None = None, backoff: Backoff | None = None,
                 acquire_timeout: float = 10.0, request_timeout: float = 10.0, http: httpx.Client | None = None,
                 revoke_on_close: bool = False, dpop_key: "DpopKey | None" = None,
                 client_assertion: "Callable[[str], str] | None" = None, issuer: str | None = None) -> None:
        self._cfg = Config(broker, client_id, client_secret, token, mayfly_home, use_cli_session, scopes, fallback,
                           clock, rng, refresh_policy, backoff, acquire_timeout, revoke_on_close, dpop_key,
                           client_assertion, issuer)
        self._broker = SyncBroker(self._cfg.urls, http, request_timeout, self._cfg.dpop)
        self._sleep = sleep
        self._session = Slot(None)
        self._session_lock = threading.Lock()
        self._tasks: dict[TaskKey, tuple[Slot, threading.Lock]] = {}
        self._tasks_guard = threading.Lock()
        self._closed = False

    @classmethod
    def from_env(cls, **kw: Any) -> "TokenProvider":
        """MAYFLY_TOKEN, else MAYFLY_CLIENT_ID/MAYFLY_CLIENT_SECRET, else the CLI's cached session; MAYFLY_URL."""
        return cls(**Config.from_env_kwargs(kw))

    @property
    def broker_urls(self) -> list[str]:
        return list(self._cfg.urls)

    # ---- public ----

    def token(self) -> AccessToken:
        """The session token, renewed when due."""
        if self._cfg.static is not None:
            return self._cfg.static
        return self._get(self._session, self._session_lock, self._renew_session)

    def task(self, *, scope: str | Sequence[str] | None = None, audience: str | Sequence[str] | None = None,
             task_id: str | None = None, ttl: int | None = None) -> AccessToken:
        """A per-task token by token exchange (RFC 8693): one audience (RFC 8707), a subset of the scopes, one
        task id; kept and renewed per distinct (audience, scope, task_id, ttl)."""
        key = _task_key(scope, audience, task_id, ttl)
        with self._tasks_guard:
            entry = self._tasks.get(key)
            if entry is None:
                entry = self._tasks[key] = (Slot(key), threading.Lock())
        slot, lock = entry
        return self._get(slot, lock, lambda s: self._renew_task(s))

    def refresh(self, rejected: AccessToken | str | None = None) -> AccessToken:
        """A server said ``rejected`` expired: replace it (single flight; a token already replaced is not
        replaced again). Without ``rejected``: the session token."""
        value = rejected.value if isinstance(rejected, AccessToken) else rejected
        slot, lock, renew = self._find(value)
        with lock:
            if slot.token is not None and value is not None and slot.token.value != value:
                return slot.token
            if slot.failure is not None:
                raise slot.failure
            if slot.token is not None:
                slot.token = _expired_copy(slot.token)
            slot.next_attempt = 0.0
        return self._get(slot, lock, renew)

    def forget(self, token: AccessToken | str) -> None:
        """Drop a token a server said was revoked, so the next call gets a new one."""
        value = token.value if isinstance(token, AccessToken) else token
        slot, lock, _ = self._find(value)
        with lock:
            if slot.token is not None and slot.token.value == value:
                slot.token = None

    def close(self) -> None:
        """Stops renewals; revokes the session (RFC 7009) when ``revoke_on_close``. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._cfg.revoke_on_close and self._session.refresh_token and self._cfg.auth is not None:
            try:
                self._broker.post(REVOKE_PATH, {"token": self._session.refresh_token,
                                                "token_type_hint": "refresh_token"}, self._cfg.auth)
            except (BrokerRejected, BrokerUnreachable):
                pass  # best effort: the session expires anyway
        self._broker.close()

    def __enter__(self) -> "TokenProvider":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the single-flight core ----

    def _get(self, slot: Slot, lock: threading.Lock, renew: Callable[[Slot], AccessToken]) -> AccessToken:
        if self._closed:
            raise MayflyError("The token provider is closed.", code="PRECONDITION")
        now = self._cfg.clock()
        t = slot.token
        if slot.failure is not None:
            raise slot.failure
        if t is not None and not t.is_expired(now):
            if not t.is_due(now) or now < slot.next_attempt:
                return t
            if lock.acquire(blocking=False):  # due: this caller renews; nobody waits for it
                try:
                    if slot.token is t:
                        self._attempt(slot, renew, now)
                except BrokerUnreachable:
                    pass  # backing off; the token below decides
                finally:
                    lock.release()
            cur = slot.token
            return cur if cur is not None and not cur.is_expired(self._cfg.clock()) else self._get_blocking(
                slot, lock, renew)
        return self._get_blocking(slot, lock, renew)

    def _get_blocking(self, slot: Slot, lock: threading.Lock, renew: Callable[[Slot], AccessToken]) -> AccessToken:
        if not lock.acquire(timeout=max(self._cfg.acquire_timeout, 0.001) + 30):
            raise Timeout("Timed out waiting for a token renewal.")
        try:
            deadline = self._cfg.clock() + self._cfg.acquire_timeout
            while True:
                now = self._cfg.clock()
                if slot.failure is not None:
                    raise slot.failure
                t = slot.token
                if t is not None and not t.is_expired(now) and (not t.is_due(now) or now < slot.next_attempt):
                    return t  # another caller's renewal, shared
                if now < slot.next_attempt:
                    wait = slot.next_attempt - now
                    if now + wait > deadline:
                        return self._fallback_or(slot, Config.unavailable(
                            BrokerUnreachable("No broker answered.", maybe_processed=False), wait))
                    self._sleep(wait)
                    continue
                try:
                    got = self._attempt(slot, renew, now)
                except BrokerUnreachable as e:
                    delay = slot.next_attempt - now
                    if now + delay > deadline:
                        return self._fallback_or(slot, Config.unavailable(e, delay))
                    self._sleep(delay)
                    continue
                if got is not None:
                    return got
        finally:
            lock.release()

    def _attempt(self, slot: Slot, renew: Callable[[Slot], AccessToken], now: float) -> AccessToken | None:
        """One renewal attempt (every broker URL once); a failure is settled by ``Config.after_failed_attempt``."""
        try:
            return renew(slot)
        except (BrokerUnreachable, MayflyError) as err:
            return self._cfg.after_failed_attempt(slot, err, now)

    def _fallback_or(self, slot: Slot, err: MayflyError) -> AccessToken:
        return self._cfg.fallback_or(slot, err)

    # ---- renewals (called under the slot's lock) ----

    def _renew_session(self, slot: Slot) -> AccessToken:
        cfg = self._cfg
        if cfg.cache is not None:
            return self._renew_from_cache(slot)
        sent_at = cfg.clock()
        if slot.refresh_token and not slot.relogin and not cfg.session_near_end(slot, sent_at):
            try:
                answer = self._broker.post(TOKEN_PATH, Config.refresh_form(slot.refresh_token), cfg.auth)
                return cfg.token_from(answer, sent_at, slot)
            except BrokerUnreachable as e:
                if e.maybe_processed and cfg.auth is not None:
                    slot.relogin = True  # the refresh token may be rotated already: presenting it again is reuse
                raise
            except BrokerRejected as r:
                if not (Config.session_over(r.error) and cfg.auth is not None):
                    raise r.error from None
        if cfg.auth is None:
            raise Config.not_logged_in(cfg.urls[0])
        sent_at = cfg.clock()
        try:
            answer = self._broker.post(TOKEN_PATH, cfg.login_form(), cfg.auth)
        except BrokerRejected as r:
            raise r.error from None
        slot.relogin = False
        return cfg.token_from(answer, sent_at, slot)

    def _renew_from_cache(self, slot: Slot) -> AccessToken:
        """Renews the CLI's cached session under its lock, after reading it again: if another process renewed
        it meanwhile, take that instead of presenting the already-rotated refresh token."""
        cfg = self._cfg
        assert cfg.cache is not None
        url = cfg.urls[0]
        with cfg.cache.lock() as held:
            s = cfg.cache.read(url)
            if s is None:
                raise Config.not_logged_in(url)
            now = cfg.clock()
            mine = slot.token.value if slot.token else None
            if s.access_token != mine and now < s.refresh_after and now < s.expires_at:
                return _adopt(slot, s)
            if not s.refresh_token:
                return _adopt(slot, s)  # a bare token its owner keeps: used as it is
            try:
                answer = self._broker.post(TOKEN_PATH, Config.refresh_form(s.refresh_token), None)
            except BrokerRejected as r:
                raise r.error from None
            t = cfg.token_from(answer, now, slot)
            _save(cfg, held, s, t, slot, now)
            return t

    def _renew_task(self, slot: Slot) -> AccessToken:
        cfg = self._cfg
        assert slot.key is not None
        for attempt in range(2):
            session = self.token()
            sent_at = cfg.clock()
            try:
                answer = self._broker.post(TOKEN_PATH, Config.exchange_form(session.value, slot.key, slot.task_id),
                                           None)
                return cfg.token_from(answer, sent_at, slot)
            except BrokerRejected as r:
                # The subject (session) token was refused as expired: refresh it once and exchange again.
                if attempt == 0 and r.error.code == "CREDENTIALS_EXPIRED" and cfg.static is None:
                    self.refresh(session)
                    continue
                raise r.error from None
        raise AssertionError("unreachable")

    def _find(self, value: str | None) -> tuple[Slot, threading.Lock, Callable[[Slot], AccessToken]]:
        if value is not None:
            with self._tasks_guard:
                for slot, lock in self._tasks.values():
                    if slot.token is not None and slot.token.value == value:
                        return slot, lock, self._renew_task
        return self._session, self._session_lock, self._renew_session


def _task_key(scope: Any, audience: Any, task_id: str | None, ttl: int | None) -> TaskKey:
    scope_s = " ".join(scope) if isinstance(scope, (list, tuple)) else scope
    aud = (audience,) if isinstance(audience, str) else tuple(audience or ())
    return TaskKey(aud, scope_s, task_id, ttl)


def _expired_copy(t: AccessToken) -> AccessToken:
    from dataclasses import replace
    return replace(t, expires_at=float("-inf"), refresh_at=float("-inf"))


def _adopt(slot: Slot, s: CachedSession) -> AccessToken:
    t = AccessToken(value=s.access_token, expires_at=s.expires_at, refresh_at=s.refresh_after,
                    session_id=s.session_id, scopes=s.scopes, tier=s.tier)
    slot.token = t
    slot.refresh_token = s.refresh_token
    slot.session_expires_at = s.session_expires_at
    slot.lifetime = max(0.0, s.expires_at - s.obtained_at)
    slot.attempts = 0
    slot.next_attempt = 0.0
    return t


def _save(cfg: Config, held: Any, before: CachedSession, t: AccessToken, slot: Slot, now: float) -> None:
    """Writes the renewed session back under the cache lock the caller holds."""
    assert cfg.cache is not None and t.expires_at is not None and t.refresh_at is not None
    after = renewed(before, t.value, t.expires_at, t.refresh_at, slot.refresh_token, slot.session_expires_at, now)
    cfg.cache.put(held, after)

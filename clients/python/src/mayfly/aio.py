"""AsyncTokenProvider: TokenProvider for asyncio agents. Same behaviour (see provider.py and _core.py); one
asyncio.Lock per token makes renewals single flight across tasks: a hundred tasks asking at expiry cause one
broker call. Use it from one event loop."""

from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, Sequence

import httpx

from ._broker import REVOKE_PATH, TOKEN_PATH, AsyncBroker, BrokerRejected, BrokerUnreachable
from ._core import Config, Fallback, Slot, TaskKey
from .clock import Clock
from .dpop import DpopKey
from .errors import MayflyError
from .policy import Backoff, RefreshPolicy
from .provider import _adopt, _expired_copy, _save, _task_key
from .token import AccessToken

Renew = Callable[[Slot], Awaitable[AccessToken]]


class AsyncTokenProvider:
    """The asyncio twin of TokenProvider: same arguments, ``await``-able methods, ``async with``."""

    def __init__(self, broker: str | Sequence[str] | None = None, *, client_id: str | None = None,
                 client_secret: str | None = None, token: str | None = None, use_cli_session: bool = False,
                 mayfly_home: Any = None, scopes: Sequence[str] | str | None = None,
                 fallback: Fallback | None = None, clock: Clock | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep, rng: Any = None,
                 refresh_policy: RefreshPolicy | None = None, backoff: Backoff | None = None,
                 acquire_timeout: float = 10.0, request_timeout: float = 10.0, http: httpx.AsyncClient | None = None,
                 revoke_on_close: bool = False, dpop_key: "DpopKey | None" = None,
                 client_assertion: "Callable[[str], str] | None" = None, issuer: str | None = None) -> None:
        self._cfg = Config(broker, client_id, client_secret, token, mayfly_home, use_cli_session, scopes, fallback,
                           clock, rng, refresh_policy, backoff, acquire_timeout, revoke_on_close, dpop_key,
                           client_assertion, issuer)
        self._broker = AsyncBroker(self._cfg.urls, http, request_timeout, self._cfg.dpop)
        self._sleep = sleep
        self._session = Slot(None)
        self._session_lock = asyncio.Lock()
        self._tasks: dict[TaskKey, tuple[Slot, asyncio.Lock]] = {}
        self._closed = False

    @classmethod
    def from_env(cls, **kw: Any) -> "AsyncTokenProvider":
        return cls(**Config.from_env_kwargs(kw))

    async def token(self) -> AccessToken:
        if self._cfg.static is not None:
            return self._cfg.static
        return await self._get(self._session, self._session_lock, self._renew_session)

    async def task(self, *, scope: str | Sequence[str] | None = None, audience: str | Sequence[str] | None = None,
                   task_id: str | None = None, ttl: int | None = None) -> AccessToken:
        key = _task_key(scope, audience, task_id, ttl)
        entry = self._tasks.get(key)
        if entry is None:
            entry = self._tasks[key] = (Slot(key), asyncio.Lock())
        slot, lock = entry
        return await self._get(slot, lock, self._renew_task)

    async def refresh(self, rejected: AccessToken | str | None = None) -> AccessToken:
        value = rejected.value if isinstance(rejected, AccessToken) else rejected
        slot, lock, renew = self._find(value)
        async with lock:
            if slot.token is not None and value is not None and slot.token.value != value:
                return slot.token
            if slot.failure is not None:
                raise slot.failure
            if slot.token is not None:
                slot.token = _expired_copy(slot.token)
            slot.next_attempt = 0.0
        return await self._get(slot, lock, renew)

    def forget(self, token: AccessToken | str) -> None:
        value = token.value if isinstance(token, AccessToken) else token
        slot, _, _ = self._find(value)
        if slot.token is not None and slot.token.value == value:
            slot.token = None

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._cfg.revoke_on_close and self._session.refresh_token and self._cfg.auth is not None:
            try:
                await self._broker.post(REVOKE_PATH, {"token": self._session.refresh_token,
                                                      "token_type_hint": "refresh_token"}, self._cfg.auth)
            except (BrokerRejected, BrokerUnreachable):
                pass
        await self._broker.aclose()

    async def __aenter__(self) -> "AsyncTokenProvider":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ---- single flight ----

    async def _get(self, slot: Slot, lock: asyncio.Lock, renew: Renew) -> AccessToken:
        if self._closed:
            raise MayflyError("The token provider is closed.", code="PRECONDITION")
        now = self._cfg.clock()
        t = slot.token
        if slot.failure is not None:
            raise slot.failure
        if t is not None and not t.is_expired(now):
            if not t.is_due(now) or now < slot.next_attempt:
                return t
            if not lock.locked():  # due: this task renews; the others carry on with the valid token
                async with lock:
                    if slot.token is t:
                        try:
                            await self._attempt(slot, renew, now)
                        except BrokerUnreachable:
                            pass
            cur = slot.token
            if cur is not None and not cur.is_expired(self._cfg.clock()):
                return cur
        return await self._get_blocking(slot, lock, renew)

    async def _get_blocking(self, slot: Slot, lock: asyncio.Lock, renew: Renew) -> AccessToken:
        async with lock:
            deadline = self._cfg.clock() + self._cfg.acquire_timeout
            while True:
                now = self._cfg.clock()
                if slot.failure is not None:
                    raise slot.failure
                t = slot.token
                if t is not None and not t.is_expired(now) and (not t.is_due(now) or now < slot.next_attempt):
                    return t
                if now < slot.next_attempt:
                    wait = slot.next_attempt - now
                    if now + wait > deadline:
                        return self._fallback_or(slot, Config.unavailable(
                            BrokerUnreachable("No broker answered.", maybe_processed=False), wait))
                    await self._sleep(wait)
                    continue
                try:
                    got = await self._attempt(slot, renew, now)
                except BrokerUnreachable as e:
                    delay = slot.next_attempt - now
                    if now + delay > deadline:
                        return self._fallback_or(slot, Config.unavailable(e, delay))
                    await self._sleep(delay)
                    continue
                if got is not None:
                    return got

    async def _attempt(self, slot: Slot, renew: Renew, now: float) -> AccessToken | None:
        try:
            return await renew(slot)
        except (BrokerUnreachable, MayflyError) as err:
            return self._cfg.after_failed_attempt(slot, err, now)

    def _fallback_or(self, slot: Slot, err: MayflyError) -> AccessToken:
        return self._cfg.fallback_or(slot, err)

    # ---- renewals ----

    async def _renew_session(self, slot: Slot) -> AccessToken:
        cfg = self._cfg
        if cfg.cache is not None:
            # The cache's lock is a file lock: taken in a worker thread so the event loop never blocks on it.
            return await asyncio.to_thread(self._renew_from_cache_blocking, slot)
        sent_at = cfg.clock()
        if slot.refresh_token and not slot.relogin and not cfg.session_near_end(slot, sent_at):
            try:
                answer = await self._broker.post(TOKEN_PATH, Config.refresh_form(slot.refresh_token), cfg.auth)
                return cfg.token_from(answer, sent_at, slot)
            except BrokerUnreachable as e:
                if e.maybe_processed and cfg.auth is not None:
                    slot.relogin = True
                raise
            except BrokerRejected as r:
                if not (Config.session_over(r.error) and cfg.auth is not None):
                    raise r.error from None
        if cfg.auth is None:
            raise Config.not_logged_in(cfg.urls[0])
        sent_at = cfg.clock()
        try:
            answer = await self._broker.post(TOKEN_PATH, cfg.login_form(), cfg.auth)
        except BrokerRejected as r:
            raise r.error from None
        slot.relogin = False
        return cfg.token_from(answer, sent_at, slot)

    def _renew_from_cache_blocking(self, slot: Slot) -> AccessToken:
        from ._broker import SyncBroker
        cfg = self._cfg
        assert cfg.cache is not None
        url = cfg.urls[0]
        with cfg.cache.lock() as held:
            s = cfg.cache.read(url)
            if s is None:
                raise Config.not_logged_in(url)
            now = cfg.clock()
            mine = slot.token.value if slot.token else None
            if (s.access_token != mine and now < s.refresh_after and now < s.expires_at) or not s.refresh_token:
                return _adopt(slot, s)
            sync = SyncBroker(cfg.urls)
            try:
                answer = sync.post(TOKEN_PATH, Config.refresh_form(s.refresh_token), None)
            except BrokerRejected as r:
                raise r.error from None
            finally:
                sync.close()
            t = cfg.token_from(answer, now, slot)
            _save(cfg, held, s, t, slot, now)
            return t

    async def _renew_task(self, slot: Slot) -> AccessToken:
        cfg = self._cfg
        assert slot.key is not None
        for attempt in range(2):
            session = await self.token()
            sent_at = cfg.clock()
            try:
                answer = await self._broker.post(
                    TOKEN_PATH, Config.exchange_form(session.value, slot.key, slot.task_id), None)
                return cfg.token_from(answer, sent_at, slot)
            except BrokerRejected as r:
                if attempt == 0 and r.error.code == "CREDENTIALS_EXPIRED" and cfg.static is None:
                    await self.refresh(session)
                    continue
                raise r.error from None
        raise AssertionError("unreachable")

    def _find(self, value: str | None) -> tuple[Slot, asyncio.Lock, Renew]:
        if value is not None:
            for slot, lock in self._tasks.values():
                if slot.token is not None and slot.token.value == value:
                    return slot, lock, self._renew_task
        return self._session, self._session_lock, self._renew_session

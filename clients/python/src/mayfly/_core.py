"""What the sync and async token providers share: configuration, the per-token slot, and every decision that
needs no I/O (turning an answer into a token, what a refusal means, how long to back off). The two providers
are thin shells that do the I/O and the locking their way (threads or tasks)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from ._broker import ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE, AssertionAuth, Auth, BrokerUnreachable, ClientAuth, Dpop
from ._cache import CredentialCache, default_home
from .clock import Clock, system_clock
from .dpop import DpopKey
from .errors import (CredentialsExpired, CredentialsInvalid, CredentialsMissing, CredentialsRevoked, MayflyError,
                     Unavailable)
from .policy import Backoff, RefreshPolicy
from .token import AccessToken

DEFAULT_URL = "http://127.0.0.1:8470"
LOGIN = "mayfly auth login"

Fallback = Callable[[Any], Any]
"""Called with the audience (None for the session token) only while no broker answers and no valid Mayfly
token is left; returns a token string (or None to give up). E.g. a function that reads a secrets vault."""


@dataclass(frozen=True)
class TaskKey:
    audience: tuple[str, ...]
    scope: str | None
    task_id: str | None
    ttl: int | None


class Slot:
    """One token being kept fresh: the session's, or one task's. Mutated only by its renewal's holder."""

    def __init__(self, key: TaskKey | None) -> None:
        self.key = key
        self.token: AccessToken | None = None
        self.refresh_token: str | None = None
        self.session_expires_at: float | None = None
        self.next_attempt = 0.0
        self.attempts = 0
        self.relogin = False
        self.failure: MayflyError | None = None
        self.task_id: str | None = key.task_id if key else None
        self.lifetime = 0.0


class Config:
    def __init__(self, urls: str | Sequence[str] | None, client_id: str | None, client_secret: str | None,
                 token: str | None, mayfly_home: str | os.PathLike[str] | None, use_cli_session: bool,
                 scopes: Sequence[str] | str | None, fallback: Fallback | None, clock: Clock | None,
                 rng: random.Random | None, refresh_policy: RefreshPolicy | None, backoff: Backoff | None,
                 acquire_timeout: float, revoke_on_close: bool, dpop_key: DpopKey | None = None,
                 client_assertion: Callable[[str], str] | None = None, issuer: str | None = None) -> None:
        if urls is None:
            urls = os.environ.get("MAYFLY_URL") or DEFAULT_URL
        self.urls = [urls] if isinstance(urls, str) else list(urls)
        self.urls = [u.rstrip("/") for u in self.urls]
        if client_assertion is not None and (client_id is None or client_secret is not None):
            raise ValueError("a client assertion goes with client_id and no client_secret")
        if client_assertion is None and (client_id is None) != (client_secret is None):
            raise ValueError("client_id and client_secret go together")
        # The assertion's aud: the broker's issuer URL (by default the first broker URL, as the CLI does).
        self.issuer = (issuer or self.urls[0]).rstrip("/")
        self.auth: Auth | None = None
        if client_assertion is not None and client_id:
            self.auth = AssertionAuth(client_id, client_assertion, self.issuer)
        elif client_id and client_secret:
            self.auth = ClientAuth(client_id, client_secret)
        self.static = AccessToken.of(token) if token else None
        self.cache: CredentialCache | None = None
        if use_cli_session and self.auth is None and self.static is None:
            self.cache = CredentialCache(mayfly_home if mayfly_home is not None else default_home())
        if self.auth is None and self.static is None and self.cache is None:
            raise ValueError("give client credentials, a token, or use_cli_session=True")
        self.scopes: str | None = scopes if scopes is None or isinstance(scopes, str) else " ".join(scopes)
        self.fallback = fallback
        self.clock = clock or system_clock
        self.rng = rng or random.Random()
        self.policy = refresh_policy or RefreshPolicy()
        self.backoff = backoff or Backoff()
        self.acquire_timeout = acquire_timeout
        self.revoke_on_close = revoke_on_close
        self.dpop = Dpop(dpop_key, self.clock) if dpop_key is not None else None

    @staticmethod
    def from_env_kwargs(kw: dict[str, Any]) -> dict[str, Any]:
        """MAYFLY_TOKEN, else MAYFLY_CLIENT_ID/MAYFLY_CLIENT_SECRET, else the CLI's cached session."""
        env = os.environ
        out = dict(kw)
        if env.get("MAYFLY_TOKEN"):
            out.setdefault("token", env["MAYFLY_TOKEN"])
        elif env.get("MAYFLY_CLIENT_ID") and env.get("MAYFLY_CLIENT_SECRET"):
            out.setdefault("client_id", env["MAYFLY_CLIENT_ID"])
            out.setdefault("client_secret", env["MAYFLY_CLIENT_SECRET"])
        else:
            out.setdefault("use_cli_session", True)
        return out

    # ---- forms ----

    def login_form(self) -> dict[str, str]:
        form = {"grant_type": "client_credentials"}
        if self.scopes:
            form["scope"] = self.scopes
        return form

    @staticmethod
    def refresh_form(refresh_token: str) -> dict[str, str]:
        return {"grant_type": "refresh_token", "refresh_token": refresh_token}

    @staticmethod
    def exchange_form(subject: str, key: TaskKey, task_id: str | None) -> list[tuple[str, str]]:
        form = [("grant_type", TOKEN_EXCHANGE), ("subject_token", subject),
                ("subject_token_type", ACCESS_TOKEN_TYPE)]
        if key.scope:
            form.append(("scope", key.scope))
        # RFC 8707 resource indicators: one parameter per audience (the broker reads `audience` too).
        form += [("resource", a) for a in key.audience]
        if task_id:
            form.append(("task_id", task_id))
        if key.ttl:
            form.append(("ttl", str(int(key.ttl))))
        return form

    # ---- answers ----

    def token_from(self, answer: dict[str, Any], sent_at: float, slot: Slot) -> AccessToken:
        """Expiry on the client's clock: from when the request left plus expires_in, so clock skew never
        makes the client think a token lives longer than it does."""
        if not isinstance(answer.get("access_token"), str) or not isinstance(answer.get("expires_in"), (int, float)):
            raise MayflyError("The broker answered without an access token and its lifetime.", code="INTERNAL")
        lifetime = float(answer["expires_in"])
        ra = answer.get("refresh_after")
        refresh_after = float(ra) if isinstance(ra, (int, float)) and not isinstance(ra, bool) else None
        scope = answer.get("scope")
        aud = answer.get("audience")
        token = AccessToken(
            value=str(answer["access_token"]), expires_at=sent_at + lifetime,
            refresh_at=sent_at + self.policy.refresh_delay(lifetime, refresh_after, self.rng),
            session_id=answer.get("session_id"), task_id=answer.get("task_id"),
            audience=tuple(aud.split()) if isinstance(aud, str) else tuple(aud or ()),
            scopes=tuple(scope.split()) if isinstance(scope, str) else (), tier=answer.get("tier"),
            token_type="DPoP" if str(answer.get("token_type", "")).lower() == "dpop" else "Bearer")
        if slot.key is None:
            if answer.get("refresh_token"):
                slot.refresh_token = str(answer["refresh_token"])
            sei = answer.get("session_expires_in")
            if isinstance(sei, (int, float)):
                slot.session_expires_at = sent_at + float(sei)
        else:
            slot.task_id = token.task_id or slot.task_id
        slot.token = token
        slot.lifetime = lifetime
        slot.attempts = 0
        slot.next_attempt = 0.0
        return token

    def session_near_end(self, slot: Slot, now: float) -> bool:
        """Less than half a token lifetime left of the session: log in again rather than shrink tokens."""
        if slot.session_expires_at is None or self.auth is None:
            return False
        return slot.session_expires_at - now < slot.lifetime / 2

    def after_unreachable(self, slot: Slot, e: BrokerUnreachable, now: float) -> float:
        """Schedules the next attempt; returns its delay. While the token is valid, no retry waits past
        halfway to its expiry (nor less than a second apart), so a short outage is noticed in time."""
        slot.attempts += 1
        delay = self.backoff.delay(slot.attempts, e.retry_after, self.rng)
        t = slot.token
        if t is not None and not t.is_expired(now) and t.expires_at is not None:
            delay = min(delay, max(1.0, (t.expires_at - now) / 2))
        slot.next_attempt = now + delay
        return delay

    def after_failed_attempt(self, slot: Slot, err: Exception, now: float) -> AccessToken:
        """One renewal attempt (every broker URL once) failed with ``err``. Transient failure (the broker
        unreachable, or a task's renewal that found no session token because the broker is down): back off and
        return the current token while it is still valid, else re-raise. Permanent failure: it sticks to the
        slot. Shared by the sync and async providers, which differ only in how they wait."""
        if isinstance(err, Unavailable):
            retry = None if err.retry_after_ms is None else err.retry_after_ms / 1000
            self.after_unreachable(slot, BrokerUnreachable(str(err), maybe_processed=False, retry_after=retry), now)
        elif isinstance(err, BrokerUnreachable):
            self.after_unreachable(slot, err, now)
        else:
            if isinstance(err, MayflyError) and Config.permanent(err):
                slot.failure = err
            raise err
        t = slot.token
        if t is not None and not t.is_expired(self.clock()):
            return t
        raise err

    def fallback_or(self, slot: Slot, err: MayflyError) -> AccessToken:
        """The fallback credential, used only while the broker is unreachable; else ``err``."""
        if self.fallback is not None:
            value = self.fallback(slot.key.audience[0] if slot.key and slot.key.audience else None)
            if value:
                return AccessToken.of(value if isinstance(value, str) else value.value)
        raise err

    @staticmethod
    def unavailable(e: BrokerUnreachable, delay: float) -> Unavailable:
        return Unavailable(f"{e} Next attempt in {delay:.1f}s.", retry_after_ms=int(delay * 1000))

    @staticmethod
    def session_over(err: MayflyError) -> bool:
        """A refusal of a refresh that logging in again fixes: the session expired or the refresh token is
        unknown. Revocation is an operator's or a leak detector's decision: never undone automatically."""
        return isinstance(err, (CredentialsExpired, CredentialsInvalid))

    @staticmethod
    def not_logged_in(url: str) -> CredentialsMissing:
        return CredentialsMissing(
            f"Not logged in to {url}: run 'mayfly auth login' (with MAYFLY_CLIENT_ID and MAYFLY_CLIENT_SECRET set) "
            "or set MAYFLY_TOKEN.", reauth_command=LOGIN)

    @staticmethod
    def permanent(err: MayflyError) -> bool:
        return isinstance(err, (CredentialsRevoked, CredentialsInvalid, CredentialsMissing)) or \
            err.code == "PERMISSION_DENIED"

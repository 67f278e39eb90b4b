"""Attach Mayfly tokens to httpx and requests calls (``MayflyAuth``, ``MayflyRequestsAuth``).

For each request: a request to the broker itself gets the session token; a request to any other host gets a
task token for that host's audience (its origin, or what ``audience=`` maps it to), so the session token
never reaches a third party. A 4xx/5xx answer is classified (its body read up to 1 MiB): expired → refresh
(single flight) and replay once; denied → PermissionDenied; revoked, invalid, missing → the typed exception
(a Mayfly "revoked, refresh recovers" also drops the token); still expired after the replay →
CredentialsExpired, reporting the expiry the first answer established (the fresh token's exp lies ahead, so
the replay's answer cannot say when anything expired); anything else (429, 503, 404, undecidable) → the response, as it came.

A DPoP-bound token (the provider has a ``dpop_key``) goes as ``Authorization: DPoP <token>`` with a fresh proof for
this method and URL (``ath``, and the server's last ``DPoP-Nonce``); a ``use_dpop_nonce`` challenge is answered
once with the nonce it carried (RFC 9449 §9).
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from typing import TYPE_CHECKING, Any, AsyncGenerator, Callable, Generator, Mapping, Union

import httpx

from .classify import AuthFailure, Kind, Recovery, SentCredential, classify
from .errors import CredentialsExpired, error_for_failure
from .token import AccessToken

if TYPE_CHECKING:
    from .aio import AsyncTokenProvider
    from .provider import TokenProvider

MAX_ERROR_BODY = 1024 * 1024
AudienceFor = Union[Mapping[str, str], Callable[[str], "str | None"], None]


def origin_of(url: str) -> str:
    p = urllib.parse.urlsplit(str(url))
    host = (p.hostname or "").lower()
    port = p.port
    default = {"http": 80, "https": 443}.get(p.scheme)
    netloc = host if port is None or port == default else f"{host}:{port}"
    return f"{p.scheme}://{netloc}"


class _Targeting:
    """Which token a URL gets: the session token at the broker, a task token for the audience elsewhere."""

    def __init__(self, broker_urls: list[str], audience: AudienceFor, scope: str | None) -> None:
        self.brokers = {origin_of(u) for u in broker_urls}
        self.audience = audience
        self.scope = scope

    def audience_for(self, url: str) -> str | None:
        """None: the broker itself (session token)."""
        o = origin_of(url)
        if o in self.brokers:
            return None
        if callable(self.audience):
            mapped = self.audience(o)
        elif isinstance(self.audience, Mapping):
            mapped = self.audience.get(o)
        else:
            mapped = None
        return mapped or o


def _read_bounded(response: httpx.Response) -> str:
    buf = bytearray()
    for chunk in response.iter_bytes():
        buf += chunk
        if len(buf) >= MAX_ERROR_BODY:
            break
    response.close()
    body = bytes(buf[:MAX_ERROR_BODY])
    response._content = body  # the caller may still read what was read (at most 1 MiB)
    return body.decode("utf-8", errors="replace")


async def _aread_bounded(response: httpx.Response) -> str:
    buf = bytearray()
    async for chunk in response.aiter_bytes():
        buf += chunk
        if len(buf) >= MAX_ERROR_BODY:
            break
    await response.aclose()
    body = bytes(buf[:MAX_ERROR_BODY])
    response._content = body
    return body.decode("utf-8", errors="replace")


def _verdict(status: int, headers: Any, body: str, token: AccessToken, clock: Any) -> AuthFailure | None:
    sent = SentCredential.expiring_at(token.expires_at) if token.expires_at is not None else SentCredential.jwt(
        token.value)
    return classify(status, headers, body, sent, clock=clock)


def _reporting_the_expiry_that_happened(again: AuthFailure | None, first: AuthFailure | None) -> AuthFailure | None:
    """A replay refused as expired again: the fresh token's ``exp`` lies ahead, so the expiry to report is the
    one the first answer established (or none), never the new token's."""
    if (again is None or first is None or again.kind is not Kind.EXPIRED or again.expired_at is not None
            or first.expired_at is None):
        return again
    return dataclasses.replace(again, expired_at=first.expired_at)


def _raise_unless_passable(f: AuthFailure | None) -> None:
    if f is None or f.kind in (Kind.RATE_LIMITED, Kind.UNAVAILABLE, Kind.UNKNOWN):
        return
    if f.kind is Kind.INVALID and f.recovery is Recovery.RETRY_WITH_NONCE:
        return  # a DPoP nonce demanded again after the retry with one: the caller sees the answer
    raise error_for_failure(f)


class MayflyAuth(httpx.Auth):
    """httpx auth for a TokenProvider (httpx.Client) or an AsyncTokenProvider (httpx.AsyncClient).

    ``audience``: a mapping from origin (``https://orders.example``) to audience, or a callable; unmapped
    origins use the origin itself. ``scope``: the scope task tokens ask for (default: all the session's)."""

    requires_response_body = False

    def __init__(self, provider: "TokenProvider | AsyncTokenProvider", *, audience: AudienceFor = None,
                 scope: str | None = None) -> None:
        self.provider = provider
        self._target = _Targeting(provider._cfg.urls, audience, scope)  # noqa: SLF001
        self._clock = provider._cfg.clock  # noqa: SLF001

    def _token(self, aud: str | None) -> AccessToken:
        p: Any = self.provider
        return p.token() if aud is None else p.task(audience=aud, scope=self._target.scope)

    def _attach(self, request: httpx.Request, token: AccessToken) -> None:
        """``Authorization`` with the token's scheme; a DPoP-bound token gets a fresh proof for this request
        (``htm``, ``htu``, ``ath``, and the server's last nonce)."""
        request.headers["Authorization"] = token.authorization()
        dpop = self.provider._cfg.dpop  # noqa: SLF001
        if token.dpop_bound and dpop is not None:
            request.headers["DPoP"] = dpop.proof(request.method, str(request.url), token.value)
        elif "DPoP" in request.headers:
            del request.headers["DPoP"]

    def _nonce_demanded(self, response: httpx.Response, f: AuthFailure | None, token: AccessToken) -> bool:
        """Remembers a ``DPoP-Nonce``; True when the answer demands one (RFC 9449 §9) and a retry can give it."""
        dpop = self.provider._cfg.dpop  # noqa: SLF001
        if dpop is None or not token.dpop_bound:
            return False
        dpop.nonces.remember(str(response.request.url), response.headers)
        return f is not None and f.recovery is Recovery.RETRY_WITH_NONCE and bool(f.dpop_nonce)

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        aud = self._target.audience_for(str(request.url))
        token = self._token(aud)
        expired_first: AuthFailure | None = None
        refreshed = nonce_sent = False
        while True:
            self._attach(request, token)
            response = yield request
            if response.status_code < 400:
                self._nonce_demanded(response, None, token)
                return
            f = _verdict(response.status_code, response.headers, _read_bounded(response), token, self._clock)
            if not nonce_sent and self._nonce_demanded(response, f, token):
                nonce_sent = True
                continue
            f = _reporting_the_expiry_that_happened(f, expired_first)
            if f is not None and f.kind is Kind.EXPIRED and f.retryable:
                if refreshed:
                    raise CredentialsExpired(f.describe() + " It expired again after one refresh.", failure=f)
                expired_first = f
                refreshed = True
                token = self.provider.refresh(token)  # type: ignore[assignment]
                continue
            self._drop_if_revoked(f, token)
            _raise_unless_passable(f)
            return

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        aud = self._target.audience_for(str(request.url))
        p: Any = self.provider
        token = await (p.token() if aud is None else p.task(audience=aud, scope=self._target.scope))
        expired_first: AuthFailure | None = None
        refreshed = nonce_sent = False
        while True:
            self._attach(request, token)
            response = yield request
            if response.status_code < 400:
                self._nonce_demanded(response, None, token)
                return
            f = _verdict(response.status_code, response.headers, await _aread_bounded(response), token, self._clock)
            if not nonce_sent and self._nonce_demanded(response, f, token):
                nonce_sent = True
                continue
            f = _reporting_the_expiry_that_happened(f, expired_first)
            if f is not None and f.kind is Kind.EXPIRED and f.retryable:
                if refreshed:
                    raise CredentialsExpired(f.describe() + " It expired again after one refresh.", failure=f)
                expired_first = f
                refreshed = True
                token = await p.refresh(token)
                continue
            self._drop_if_revoked(f, token)
            _raise_unless_passable(f)
            return

    def _drop_if_revoked(self, f: AuthFailure | None, token: AccessToken) -> None:
        if f is not None and f.kind is Kind.REVOKED and f.recovery is Recovery.REFRESH:
            self.provider.forget(token)


class MayflyRequestsAuth:
    """The same for ``requests``: ``requests.get(url, auth=MayflyRequestsAuth(provider))``."""

    def __init__(self, provider: "TokenProvider", *, audience: AudienceFor = None, scope: str | None = None) -> None:
        self.provider = provider
        self._target = _Targeting(provider._cfg.urls, audience, scope)  # noqa: SLF001
        self._clock = provider._cfg.clock  # noqa: SLF001

    def __call__(self, r: Any) -> Any:
        aud = self._target.audience_for(r.url)
        token = self.provider.token() if aud is None else self.provider.task(audience=aud, scope=self._target.scope)
        _attach_to_requests(self.provider, r, token)
        state: dict[str, Any] = {"token": token, "replayed": False, "expired_first": None}
        body = r.body
        if hasattr(body, "read"):
            state["replayed"] = True  # a streamed body cannot be sent twice

        def on_response(resp: Any, **kwargs: Any) -> Any:
            if resp.status_code < 400:
                return resp
            text = _requests_body(resp)
            f = _verdict(resp.status_code, resp.headers, text, state["token"], self._clock)
            f = _reporting_the_expiry_that_happened(f, state["expired_first"])
            if f is not None and f.kind is Kind.EXPIRED and f.retryable:
                if state["replayed"]:
                    raise CredentialsExpired(f.describe() + " It expired again after one refresh.", failure=f)
                state["replayed"] = True
                state["expired_first"] = f
                fresh = self.provider.refresh(state["token"])
                state["token"] = fresh
                again = resp.request.copy()
                _attach_to_requests(self.provider, again, fresh)
                resp.close()
                new = resp.connection.send(again, **kwargs)
                new.history.append(resp)
                new.request = again
                return on_response(new, **kwargs)
            if f is not None and f.kind is Kind.REVOKED and f.recovery is Recovery.REFRESH:
                self.provider.forget(state["token"])
            _raise_unless_passable(f)
            return resp

        r.register_hook("response", on_response)
        return r


def _attach_to_requests(provider: Any, r: Any, token: AccessToken) -> None:
    r.headers["Authorization"] = token.authorization()
    dpop = provider._cfg.dpop  # noqa: SLF001
    if token.dpop_bound and dpop is not None:
        r.headers["DPoP"] = dpop.proof(r.method, r.url, token.value)


def _requests_body(resp: Any) -> str:
    """The error body, read up to 1 MiB (a streamed response is not read further)."""
    if resp.raw is not None and not getattr(resp, "_content_consumed", False):
        data = resp.raw.read(MAX_ERROR_BODY, decode_content=True) or b""
        resp._content = data
        resp._content_consumed = True
        return data.decode("utf-8", errors="replace")
    content = resp.content or b""
    return content[:MAX_ERROR_BODY].decode("utf-8", errors="replace")

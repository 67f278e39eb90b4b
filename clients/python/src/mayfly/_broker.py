"""One broker's token and revocation endpoints, over several URLs with failover: a sans-IO core (build the
request, read the answer) and two thin transports, sync and async, over httpx.

An answer is one of: a token response (dict), a refusal (BrokerRejected: a 4xx the broker meant; every node
shares one database and would say the same), or no usable answer from any URL (BrokerUnreachable: refused,
timed out, dropped, 429 or 5xx). Error bodies are read up to MAX_ERROR_BODY and no further.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Sequence, Tuple, Union

import httpx

from .classify import classify
from .dpop import DpopKey, DpopNonces
from .errors import MayflyError, error_for_code, error_for_failure

MAX_ERROR_BODY = 1024 * 1024
MAX_TOKEN_BODY = 256 * 1024
TOKEN_PATH = "/oauth/token"
REVOKE_PATH = "/oauth/revoke"
TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
Form = Union[Dict[str, str], List[Tuple[str, str]]]


class BrokerRejected(Exception):
    """The broker answered and said no; ``error`` is the catalog error it sent."""

    def __init__(self, error: MayflyError, status: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.status = status


class BrokerUnreachable(Exception):
    """No broker URL gave a usable answer. ``maybe_processed``: a request may have reached a broker whose answer
    was lost (a timeout after sending, a dropped response, 502/504), so a refresh token it carried may be
    rotated already. ``retry_after``: seconds a broker asked to wait, if any."""

    def __init__(self, message: str, *, maybe_processed: bool, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.maybe_processed = maybe_processed
        self.retry_after = retry_after


@dataclass(frozen=True)
class ClientAuth:
    client_id: str
    client_secret: str

    def header(self) -> str:
        # RFC 6749 §2.3.1: form-urlencode id and secret before Basic encoding.
        raw = urllib.parse.quote_plus(self.client_id) + ":" + urllib.parse.quote_plus(self.client_secret)
        return "Basic " + base64.b64encode(raw.encode()).decode()

    def fields(self) -> list[tuple[str, str]]:
        return []

    def __repr__(self) -> str:
        return f"ClientAuth(client_id={self.client_id!r}, client_secret=redacted)"


JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


class AssertionAuth:
    """Client authentication by a JWT assertion (RFC 7523 §2.2): ``assertion(audience)`` makes (or reads) a fresh
    one for every request, since the broker accepts each assertion's ``jti`` once."""

    def __init__(self, client_id: str, assertion: Callable[[str], str], audience: str) -> None:
        self.client_id = client_id
        self.assertion = assertion
        self.audience = audience

    def header(self) -> str | None:
        return None

    def fields(self) -> list[tuple[str, str]]:
        return [("client_id", self.client_id), ("client_assertion_type", JWT_BEARER),
                ("client_assertion", self.assertion(self.audience))]

    def __repr__(self) -> str:
        return f"AssertionAuth(client_id={self.client_id!r}, audience={self.audience!r})"


Auth = Union[ClientAuth, AssertionAuth]


class Dpop:
    """A DPoP key and the nonces servers handed out: every token request carries a fresh proof (RFC 9449 §5)."""

    def __init__(self, key: DpopKey, clock: Callable[[], float]) -> None:
        self.key = key
        self.nonces = DpopNonces()
        self.clock = clock

    def proof(self, method: str, url: str, access_token: str | None = None) -> str:
        return self.key.proof(method, url, access_token=access_token, nonce=self.nonces.get(url), clock=self.clock)


def _demands_nonce(status: int, headers: httpx.Headers, body: bytes) -> bool:
    """RFC 9449 §8: a 400 ``use_dpop_nonce`` with a ``DPoP-Nonce`` header: send again with that nonce."""
    if status != 400 or not headers.get("dpop-nonce"):
        return False
    try:
        doc = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("error") == "use_dpop_nonce"


def _origin(url: str) -> str:
    p = urllib.parse.urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


def _request(base: str, path: str, form: Form, auth: Auth | None,
             dpop: Dpop | None = None) -> tuple[str, dict[str, str], bytes]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
    pairs = list(form.items()) if isinstance(form, dict) else list(form)
    if auth is not None:
        basic = auth.header()
        if basic is not None:
            headers["Authorization"] = basic
        pairs += auth.fields()
    url = base.rstrip("/") + path
    if dpop is not None:
        headers["DPoP"] = dpop.proof("POST", url)
    return url, headers, urllib.parse.urlencode(pairs).encode()


def _transient_status(status: int) -> bool:
    return status == 429 or status >= 500


def _retry_after(headers: httpx.Headers) -> float | None:
    v = headers.get("retry-after")
    if v and v.strip().isdigit():
        return float(min(int(v.strip()), 86_400))
    return None


def _interpret(status: int, headers: httpx.Headers, body: bytes, origin: str) -> dict[str, Any]:
    """A final (non-transient) answer: the token response, or BrokerRejected."""
    text = body.decode("utf-8", errors="replace")
    if 200 <= status < 300:
        try:
            doc = json.loads(text)
        except ValueError:
            doc = None
        if not isinstance(doc, dict):
            raise BrokerRejected(error_for_code("INTERNAL", f"{origin} answered {status} without a JSON object."),
                                 status)
        return doc
    # The request carried a credential (client authentication, a refresh or subject token): a bare 401 is
    # then a rejected credential, never a missing one.
    failure = classify(status, headers, text, "opaque")
    assert failure is not None
    err = error_for_failure(failure)
    raise BrokerRejected(err, status)


class _Failover:
    """Tries every URL once, starting with the last that answered."""

    def __init__(self, urls: Sequence[str]) -> None:
        if not urls:
            raise ValueError("at least one broker URL is needed")
        self.urls = [u.rstrip("/") for u in urls]
        self.preferred = 0

    def order(self) -> list[int]:
        n = len(self.urls)
        return [(self.preferred + k) % n for k in range(n)]


_MAYBE_PROCESSED = (httpx.ReadTimeout, httpx.WriteTimeout, httpx.RemoteProtocolError, httpx.ReadError,
                    httpx.WriteError)


def _body_limit(status: int) -> int:
    return MAX_TOKEN_BODY if status < 300 else MAX_ERROR_BODY


class _Attempts:
    """What the tries at each broker URL of one request have shown, for the error when none answers: whether the
    request may have been processed (a timeout mid-exchange, a 502/504), the latest Retry-After, the last failure."""

    def __init__(self) -> None:
        self.maybe_processed = False
        self.retry_after: float | None = None
        self.last = "no broker URL"

    def transient(self, resp: httpx.Response, base: str) -> bool:
        """True (and noted) when this answer means: try the next URL."""
        if not _transient_status(resp.status_code):
            return False
        self.maybe_processed |= resp.status_code in (502, 504)
        self.retry_after = _retry_after(resp.headers) or self.retry_after
        self.last = f"{_origin(base)} answered {resp.status_code}"
        return True

    def failed(self, e: httpx.TransportError, base: str) -> None:
        self.maybe_processed |= isinstance(e, _MAYBE_PROCESSED)
        self.last = f"{_origin(base)}: {type(e).__name__}"

    def unreachable(self) -> BrokerUnreachable:
        return BrokerUnreachable(f"No broker answered ({self.last}).", maybe_processed=self.maybe_processed,
                                 retry_after=self.retry_after)


class SyncBroker:
    def __init__(self, urls: Sequence[str], http: httpx.Client | None = None, timeout: float = 10.0,
                 dpop: Dpop | None = None) -> None:
        self.dpop = dpop
        self._failover = _Failover(urls)
        self._http = http or httpx.Client(timeout=timeout, follow_redirects=False)
        self._own_http = http is None

    @property
    def urls(self) -> list[str]:
        return self._failover.urls

    def post(self, path: str, form: Form, auth: Auth | None = None) -> dict[str, Any]:
        attempts = _Attempts()
        for i in self._failover.order():
            base = self._failover.urls[i]
            try:
                for nonce_retry in (False, True):
                    url, headers, content = _request(base, path, form, auth, self.dpop)
                    with self._http.stream("POST", url, headers=headers, content=content) as resp:
                        if attempts.transient(resp, base):
                            break
                        body = _read_bounded(resp.iter_bytes(), _body_limit(resp.status_code))
                    self._failover.preferred = i
                    if self.dpop is not None:
                        self.dpop.nonces.remember(url, resp.headers)
                        if not nonce_retry and _demands_nonce(resp.status_code, resp.headers, body):
                            continue  # once, with the nonce just remembered
                    return _interpret(resp.status_code, resp.headers, body, _origin(base))
            except httpx.TransportError as e:
                attempts.failed(e, base)
        raise attempts.unreachable()

    def close(self) -> None:
        if self._own_http:
            self._http.close()


class AsyncBroker:
    def __init__(self, urls: Sequence[str], http: httpx.AsyncClient | None = None, timeout: float = 10.0,
                 dpop: Dpop | None = None) -> None:
        self.dpop = dpop
        self._failover = _Failover(urls)
        self._http = http or httpx.AsyncClient(timeout=timeout, follow_redirects=False)
        self._own_http = http is None

    @property
    def urls(self) -> list[str]:
        return self._failover.urls

    async def post(self, path: str, form: Form, auth: Auth | None = None) -> dict[str, Any]:
        attempts = _Attempts()
        for i in self._failover.order():
            base = self._failover.urls[i]
            try:
                for nonce_retry in (False, True):
                    url, headers, content = _request(base, path, form, auth, self.dpop)
                    async with self._http.stream("POST", url, headers=headers, content=content) as resp:
                        if attempts.transient(resp, base):
                            break
                        body = await _aread_bounded(resp.aiter_bytes(), _body_limit(resp.status_code))
                    self._failover.preferred = i
                    if self.dpop is not None:
                        self.dpop.nonces.remember(url, resp.headers)
                        if not nonce_retry and _demands_nonce(resp.status_code, resp.headers, body):
                            continue  # once, with the nonce just remembered
                    return _interpret(resp.status_code, resp.headers, body, _origin(base))
            except httpx.TransportError as e:
                attempts.failed(e, base)
        raise attempts.unreachable()

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()


def _read_bounded(chunks: Any, limit: int) -> bytes:
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        if len(buf) >= limit:
            return bytes(buf[:limit])  # the rest is never read: a 10 MB error body costs 1 MiB at most
    return bytes(buf)


async def _aread_bounded(chunks: Any, limit: int) -> bytes:
    buf = bytearray()
    async for chunk in chunks:
        buf += chunk
        if len(buf) >= limit:
            return bytes(buf[:limit])
    return bytes(buf)

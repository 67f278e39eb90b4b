"""Protect an MCP server (streamable HTTP) with Mayfly tokens: an ASGI middleware around the app that the
``mcp`` package builds (``server.streamable_http_app()``), or any ASGI app.

It implements what the MCP authorization spec (2025-06-18, 2025-11-25) asks of a resource server:

- RFC 9728 protected-resource metadata at ``/.well-known/oauth-protected-resource`` (and the path-suffixed
  form, ``/.well-known/oauth-protected-resource/mcp`` for a resource ``https://host/mcp``), naming the Mayfly
  broker as the authorization server;
- every request verified (``Verifier``: signature, issuer, audience = this resource, revocation, expiry); a
  DPoP-bound token only as ``Authorization: DPoP`` with a valid proof for this method and URL (RFC 9449 §7.1),
  refused as Bearer, its refusals challenged ``WWW-Authenticate: DPoP ... algs="..."``;
- 401 with ``WWW-Authenticate: Bearer resource_metadata="..."`` (plus ``error="invalid_token"`` when a token
  was sent) and Mayfly's envelope as the body; 403 ``error="insufficient_scope", scope="..."`` when the token
  lacks a scope the request (or the called tool, through ``tool_scopes``) needs; 503 when keys or
  revocations are unavailable.

The verified token is put in the ASGI scope as ``scope["state"]["mayfly_token"]`` (a VerifiedToken).
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, Awaitable, Callable, Iterable, Mapping, Sequence

import anyio.to_thread

from .errors import CredentialsMissing, MayflyError, PermissionDenied, Unavailable
from .dpop_verifier import dpop_challenge
from .verifier import Verifier

ASGIApp = Callable[[dict, Callable[[], Awaitable[dict]], Callable[[dict], Awaitable[None]]], Awaitable[None]]
MAX_BODY = 4 * 1024 * 1024
WELL_KNOWN = "/.well-known/oauth-protected-resource"
_DESCRIPTIONS = {"EXPIRED": "token expired", "REVOKED": "token revoked", "WRONG_AUDIENCE": "wrong audience"}


class MayflyMCPAuth:
    """``MayflyMCPAuth(app, verifier=Verifier(broker, audience=resource), resource=resource,
    scopes=["orders:read"], tool_scopes={"refund": ["orders:write"]})``."""

    def __init__(self, app: ASGIApp, *, verifier: Verifier, resource: str,
                 authorization_servers: Sequence[str] | None = None, scopes: Iterable[str] = (),
                 tool_scopes: Mapping[str, Iterable[str]] | None = None, resource_name: str | None = None) -> None:
        self.app = app
        self.verifier = verifier
        self.resource = resource
        self.scopes = list(scopes)
        self.tool_scopes = {k: list(v) for k, v in (tool_scopes or {}).items()}
        p = urllib.parse.urlsplit(resource)
        path = p.path.rstrip("/")
        self.metadata_paths = {WELL_KNOWN, WELL_KNOWN + path} if path else {WELL_KNOWN}
        self.metadata_url = f"{p.scheme}://{p.netloc}{WELL_KNOWN}{path}"
        supported = list(dict.fromkeys(self.scopes + [s for v in self.tool_scopes.values() for s in v]))
        self.metadata = {
            "resource": resource,
            "authorization_servers": list(authorization_servers or [verifier.issuer]),
            "scopes_supported": supported,
            "bearer_methods_supported": ["header"],
            "dpop_signing_alg_values_supported": ["EdDSA", "ES256", "RS256", "PS256"],
            "resource_signing_alg_values_supported": list(verifier.algorithms),
        }
        if resource_name:
            self.metadata["resource_name"] = resource_name

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.metadata_paths and scope["method"] in ("GET", "HEAD"):
            await _json(send, 200, self.metadata, [(b"cache-control", b"max-age=300")])
            return
        if scope["method"] == "OPTIONS":
            await self.app(scope, receive, send)  # CORS preflight carries no credentials
            return
        body, receive = await _buffer(receive)
        if body is None:
            await _json(send, 413, {"ok": False, "data": None, "error": {
                "code": "USAGE", "message": "Request body too large.", "retryable": False}})
            return
        required = list(dict.fromkeys(self.scopes + self._tool_scopes(scope, body)))
        # Bearer, or DPoP with its proof for this method and URL (RFC 9449 §7.1): a bound token as Bearer is refused.
        authorization = _header(scope, b"authorization")
        proofs = _headers(scope, b"dpop")
        try:
            verified = await anyio.to_thread.run_sync(self.verifier.verify_request, authorization, proofs,
                                                      scope["method"], _request_url(scope), required)
        except MayflyError as e:
            await self._refuse(send, e)
            return
        scope.setdefault("state", {})["mayfly_token"] = verified
        await self.app(scope, receive, send)

    def _tool_scopes(self, scope: dict, body: bytes) -> list[str]:
        if scope["method"] != "POST" or not body or not self.tool_scopes:
            return []
        try:
            msg = json.loads(body)
        except ValueError:
            return []
        out: list[str] = []
        for m in msg if isinstance(msg, list) else [msg]:
            if isinstance(m, dict) and m.get("method") == "tools/call" and isinstance(m.get("params"), dict):
                out += self.tool_scopes.get(str(m["params"].get("name")), [])
        return out

    async def _refuse(self, send: Callable[[dict], Awaitable[None]], e: MayflyError) -> None:
        meta = f'resource_metadata="{self.metadata_url}"'
        envelope: dict[str, Any] = {"ok": False, "data": None, "error": e.to_dict(), "warnings": [], "meta": {"schema_version": "1"}}
        if getattr(e, "auth_scheme", None) == "DPoP" and not isinstance(e, Unavailable):
            envelope["error"]["auth_scheme"] = "DPoP"
            if getattr(e, "dpop_error", None):
                envelope["error"]["dpop_error"] = e.dpop_error  # type: ignore[attr-defined]
            challenge = dpop_challenge(e) + f", {meta}"
            await _json(send, 403 if isinstance(e, PermissionDenied) else 401, envelope,
                        [(b"www-authenticate", challenge.encode())])
        elif isinstance(e, PermissionDenied):
            challenge = f'Bearer error="insufficient_scope", scope="{e.required_scope or ""}", {meta}'
            await _json(send, 403, envelope, [(b"www-authenticate", challenge.encode())])
        elif isinstance(e, Unavailable):
            await _json(send, 503, envelope, [(b"retry-after", b"1")])
        elif isinstance(e, CredentialsMissing):
            await _json(send, 401, envelope, [(b"www-authenticate", f"Bearer {meta}".encode())])
        else:
            desc = _DESCRIPTIONS.get(getattr(e, "reason", ""), "invalid token")
            challenge = f'Bearer error="invalid_token", error_description="{desc}", {meta}'
            await _json(send, 401, envelope, [(b"www-authenticate", challenge.encode())])


def _headers(scope: dict, name: bytes) -> list[str]:
    return [v.decode("latin-1") for k, v in scope.get("headers", []) if k.lower() == name]


def _request_url(scope: dict) -> str:
    """The absolute URL the client addressed (scheme, Host header, path), which a DPoP proof's htu names."""
    host = _header(scope, b"host")
    if not host and scope.get("server"):
        h, port = scope["server"]
        host = f"{h}:{port}" if port else str(h)
    return f"{scope.get('scheme', 'http')}://{host or 'localhost'}{scope.get('root_path', '')}{scope['path']}"


def _header(scope: dict, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k.lower() == name:
            return v.decode("latin-1")
    return None


async def _buffer(receive: Callable[[], Awaitable[dict]]) -> tuple[bytes | None, Callable[[], Awaitable[dict]]]:
    """Reads the request body (at most MAX_BODY) and returns a receive that replays it to the app."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", _replay([message], receive)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None, receive
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replay([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replay(messages: list[dict], receive: Callable[[], Awaitable[dict]]) -> Callable[[], Awaitable[dict]]:
    pending = list(messages)

    async def replay() -> dict:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


async def _json(send: Callable[[dict], Awaitable[None]], status: int, doc: Any,
                headers: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    body = json.dumps(doc).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})

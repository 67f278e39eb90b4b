"""Client assertions for logging in without a client secret (RFC 7523 §2.2), like mayfly-client's ClientAssertions
and the CLI's ``auth login --private-key`` / ``--federated``. Each is a callable ``assertion(audience) -> str``,
called for every login (the broker accepts each assertion's ``jti`` once), to pass as
``TokenProvider(client_id=..., client_assertion=...)``; ``audience`` is the broker's issuer URL.

- ``private_key_jwt(client_id, key)``: the agent signs a fresh one-minute assertion (``iss`` = ``sub`` = client
  id, ``aud`` = the broker, a random ``jti``) with the key whose public half the agent was registered with
  (``mayfly agent create --public-key``);
- ``from_file(path)``: a token a platform writes and renews, read again on every login;
- ``github_actions()``: a GitHub Actions OIDC token asked for with ``audience`` = the broker;
- ``kubernetes(path)``: a projected service-account token (``/var/run/secrets/tokens/mayfly`` by default);
- ``federated()``: the CLI's order: ``$MAYFLY_ASSERTION_FILE``, then GitHub Actions, then the Kubernetes path.

Nothing here logs or prints an assertion or a key; errors name the source, never its contents.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Callable, Mapping

import httpx

from .clock import Clock, system_clock
from .dpop import DpopKey
from .errors import CredentialsMissing, Unavailable

Assertion = Callable[[str], str]
LIFETIME = 60
"""Seconds a self-signed assertion lives: enough for clock skew, useless soon after (the broker allows ≤ 10 min)."""
KUBERNETES_TOKEN = "/var/run/secrets/tokens/mayfly"
LOGIN = "mayfly auth login --federated"


def private_key_jwt(client_id: str, key: DpopKey | str | os.PathLike[str], *, clock: Clock | None = None,
                    kid: str | None = None) -> Assertion:
    """Fresh ``private_key_jwt`` assertions signed by ``key`` (a key object, or a file holding a JWK with ``d`` or a
    PEM ``PRIVATE KEY``: Ed25519, EC P-256 or RSA ≥ 2048)."""
    signer = key if isinstance(key, DpopKey) else DpopKey.load(key)
    now_of = clock or system_clock

    def assertion(audience: str) -> str:
        now = int(now_of())
        claims = {"iss": client_id, "sub": client_id, "aud": audience.rstrip("/"), "iat": now,
                  "exp": now + LIFETIME, "jti": secrets.token_urlsafe(16)}
        return signer.sign_jwt(claims, {"typ": "JWT", **({"kid": kid} if kid else {})})

    return assertion


def from_file(path: str | os.PathLike[str]) -> Assertion:
    """The token in ``path``, read on every call (the platform renews it in place), whitespace trimmed."""
    p = Path(path)

    def assertion(audience: str) -> str:
        try:
            token = p.read_text(encoding="utf-8").strip()
        except OSError as e:
            raise CredentialsMissing(f"Cannot read the client assertion file {p} ({type(e).__name__}).",
                                     reauth_command=None) from None
        if not token:
            raise CredentialsMissing(f"The client assertion file {p} is empty.", reauth_command=None)
        return token

    return assertion


def kubernetes(path: str | os.PathLike[str] = KUBERNETES_TOKEN) -> Assertion:
    """A Kubernetes projected service-account token (mounted with ``audience:`` the broker URL)."""
    return from_file(path)


def github_actions(env: Mapping[str, str] | None = None, *, http: httpx.Client | None = None) -> Assertion:
    """A GitHub Actions OIDC token for ``audience`` (the job needs ``permissions: id-token: write``): GET
    ``$ACTIONS_ID_TOKEN_REQUEST_URL&audience=...`` with ``Authorization: Bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN``."""
    e = env if env is not None else os.environ

    def assertion(audience: str) -> str:
        url, bearer = e.get("ACTIONS_ID_TOKEN_REQUEST_URL"), e.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN")
        if not url or not bearer:
            raise CredentialsMissing("GitHub Actions' ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN are not set (the job needs "
                                     "permissions: id-token: write).", reauth_command=None)
        client = http or httpx.Client(timeout=10.0)
        try:
            r = client.get(url, params={"audience": audience.rstrip("/")}, headers={"Authorization": "Bearer " + bearer})
            value = r.json().get("value") if r.status_code == 200 else None
        except (httpx.HTTPError, ValueError, AttributeError):
            value = None
            r = None
        finally:
            if http is None:
                client.close()
        if not isinstance(value, str) or not value:
            status = "no answer" if r is None else f"HTTP {r.status_code}"
            raise Unavailable(f"GitHub Actions' token service gave no OIDC token ({status}).", retry_after_ms=1000)
        return value

    return assertion


def federated(env: Mapping[str, str] | None = None, *, kubernetes_path: str | os.PathLike[str] = KUBERNETES_TOKEN,
              http: httpx.Client | None = None) -> Assertion:
    """The platform's workload token, looked for as the CLI's ``--federated`` does, on every call:
    ``$MAYFLY_ASSERTION_FILE``, then GitHub Actions' variables, then the Kubernetes projected token."""
    e = env if env is not None else os.environ

    def assertion(audience: str) -> str:
        if e.get("MAYFLY_ASSERTION_FILE"):
            return from_file(e["MAYFLY_ASSERTION_FILE"])(audience)
        if e.get("ACTIONS_ID_TOKEN_REQUEST_URL") and e.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"):
            return github_actions(e, http=http)(audience)
        if Path(kubernetes_path).is_file():
            return from_file(kubernetes_path)(audience)
        raise CredentialsMissing(
            "No workload token found: set MAYFLY_ASSERTION_FILE, run in GitHub Actions with id-token: write, or "
            f"mount a projected service-account token at {kubernetes_path}.", reauth_command=None)

    return assertion

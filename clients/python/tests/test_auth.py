"""httpx and requests auth against the real broker and a real third-party server."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import requests

from mayfly import (CredentialsExpired, CredentialsInvalid, CredentialsRevoked, PermissionDenied, SentCredential,
                    TokenProvider, classify)
from mayfly._jwt import unverified_claims
from mayfly.aio import AsyncTokenProvider
from mayfly.auth import MayflyAuth, MayflyRequestsAuth
from mayfly.clock import parse_instant

EXPIRED = (401, {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expired"'},
           b"")


def _agent_for(broker, resource):
    return broker.create_agent(scopes=("orders:read",), audiences=(resource.url,))


def test_broker_gets_the_session_token_a_third_party_a_task_token_for_its_audience(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            me = http.get(broker.url + "/v1/whoami")
            assert me.status_code == 200, me.text
            assert http.get(resource.url + "/orders").status_code == 200
        sent = resource.seen[-1].split(" ", 1)[1]
        assert sent != tokens.token().value, "never the session token to a third party"
        claims = unverified_claims(sent)
        assert claims["aud"] in (resource.url, [resource.url]) and claims.get("task")


def test_expired_answer_refreshes_and_replays_once(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        resource.script = [EXPIRED]
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            r = http.post(resource.url + "/orders", json={"n": 1})
        assert r.status_code == 200
        assert len(resource.seen) == 2 and resource.seen[0] != resource.seen[1]

        resource.seen.clear()
        resource.script = [EXPIRED, EXPIRED, EXPIRED]
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            with pytest.raises(CredentialsExpired):
                http.get(resource.url + "/orders")
        assert len(resource.seen) == 2, "never a third send"


# The first answer states when the token expired; the replay's answer, to a token minted a moment ago, does not.
EXPIRED_AT_STATED = (401, {"WWW-Authenticate": 'Bearer error="invalid_token", '
                                              'error_description="Jwt expired at 2020-01-01T00:00:00Z"'}, b"")


def _refused_twice(resource, send):
    """Sends through the auth under test against two expiry answers; returns the CredentialsExpired failure."""
    resource.seen.clear()
    resource.script = [EXPIRED_AT_STATED, EXPIRED]
    with pytest.raises(CredentialsExpired) as e:
        send()
    assert len(resource.seen) == 2, "one replay, never a third send"
    return e.value.failure


def test_a_replay_refused_again_reports_the_expiry_the_first_answer_established(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            f = _refused_twice(resource, lambda: http.get(resource.url + "/orders"))
            assert f.expired_at == parse_instant("2020-01-01T00:00:00Z")
            resource.script = [EXPIRED, EXPIRED]
            with pytest.raises(CredentialsExpired) as e:
                http.get(resource.url + "/orders")
            assert e.value.failure.expired_at is None, "the fresh token's exp lies ahead: no future 'expired at'"
        auth = MayflyRequestsAuth(tokens)
        f = _refused_twice(resource, lambda: requests.get(resource.url + "/orders", auth=auth, timeout=10))
        assert f.expired_at == parse_instant("2020-01-01T00:00:00Z")

    async def main():
        async with AsyncTokenProvider(broker.url, client_id=cid, client_secret=secret) as atokens:
            async with httpx.AsyncClient(auth=MayflyAuth(atokens)) as http:
                resource.seen.clear()
                resource.script = [EXPIRED_AT_STATED, EXPIRED]
                with pytest.raises(CredentialsExpired) as e:
                    await http.get(resource.url + "/orders")
                assert len(resource.seen) == 2
                return e.value.failure

    assert asyncio.run(main()).expired_at == parse_instant("2020-01-01T00:00:00Z")


def test_denial_and_revocation_are_typed(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        resource.script = [(403, {"WWW-Authenticate": 'Bearer error="insufficient_scope", scope="orders:write"'}, b"")]
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            with pytest.raises(PermissionDenied) as e:
                http.get(resource.url + "/orders")
            assert e.value.required_scope == "orders:write" and e.value.exit_code == 8
            resource.script = [(401, {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="token revoked"'}, b"")]
            with pytest.raises(CredentialsRevoked):
                http.get(resource.url + "/orders")
            resource.script = [(503, {"Retry-After": "3"}, b"busy")]
            assert http.get(resource.url + "/orders").status_code == 503


def test_ten_megabyte_error_body_is_read_bounded_and_a_non_json_401_is_typed(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        big = b'{"error":"' + b"x" * (10 * 1024 * 1024) + b'"}'
        resource.script = [(403, {"Content-Type": "application/json"}, big)]
        with httpx.Client(auth=MayflyAuth(tokens), timeout=10) as http:
            started = time.monotonic()
            with pytest.raises(PermissionDenied):
                http.get(resource.url + "/orders")
            assert time.monotonic() - started < 10
            resource.script = [(401, {"Content-Type": "text/html"}, b"<html>Unauthorized</html>")]
            with pytest.raises(CredentialsInvalid):  # a live token refused without a reason: invalid
                http.get(resource.url + "/orders")
    f = classify(401, {}, "<html>nope</html>", SentCredential.expiring_at(time.time() - 3600))
    assert f.code == "CREDENTIALS_EXPIRED"


def test_async_client(broker, resource):
    cid, secret = _agent_for(broker, resource)

    async def main():
        async with AsyncTokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
            resource.script = [EXPIRED]
            async with httpx.AsyncClient(auth=MayflyAuth(tokens)) as http:
                assert (await http.get(resource.url + "/x")).status_code == 200
                assert (await http.get(broker.url + "/v1/whoami")).status_code == 200

    asyncio.run(main())
    assert len(resource.seen) == 2


def test_requests_auth(broker, resource):
    cid, secret = _agent_for(broker, resource)
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        auth = MayflyRequestsAuth(tokens)
        resource.script = [EXPIRED]
        r = requests.post(resource.url + "/orders", json={"a": 1}, auth=auth, timeout=10)
        assert r.status_code == 200 and len(resource.seen) == 2 and resource.seen[0] != resource.seen[1]
        assert requests.get(broker.url + "/v1/whoami", auth=auth, timeout=10).json()["ok"] is True
        resource.script = [(403, {}, json.dumps({"errors": ["permission denied"]}).encode())]
        with pytest.raises(PermissionDenied):
            requests.get(resource.url + "/orders", auth=auth, timeout=10)

"""Verifier and RevocationFeed: tokens from the real broker, its real JWKS and revocation stream; hand-signed
tokens (real Ed25519 and RSA signatures) served by a real JWKS server for key rotation and bad input."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from mayfly import (CredentialsExpired, CredentialsInvalid, CredentialsRevoked, ManualClock, PermissionDenied,
                    TokenProvider, Unavailable)
from mayfly.revocation import FeedError, RevocationFeed
from mayfly.verifier import Verifier

AUD = "https://orders.example"


def _task_token(broker, agent, **kw):
    cid, secret = agent
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        return tokens.task(scope="orders:read", audience=AUD, **kw)


def test_verifies_a_broker_token_and_rejects_like_mayfly_verifier(broker, agent):
    t = _task_token(broker, agent, task_id="verify-1")
    v = Verifier(broker.url, AUD)
    ok = v.verify(t.value, ["orders:read"])
    assert ok.task_id == "verify-1" and "orders:read" in ok.scopes
    with pytest.raises(PermissionDenied) as denied:
        v.verify(t.value, ["orders:write"])
    assert denied.value.missing_scopes == ("orders:write",) and denied.value.reason == "INSUFFICIENT_SCOPE"
    with pytest.raises(CredentialsInvalid) as wrong:
        Verifier(broker.url, "https://other.example").verify(t.value)
    assert wrong.value.reason == "WRONG_AUDIENCE"
    # Runnable as given: `mayfly token issue` requires --scope, so the command names the token's own.
    assert wrong.value.reauth_command.startswith("mayfly token issue --scope orders:read")
    assert wrong.value.reauth_command.endswith(" --audience https://other.example")
    head, body, sig = t.value.split(".")
    forged = head + "." + body + "." + ("A" if sig[0] != "A" else "B") + sig[1:]
    later = ManualClock(time.time() + 3600)
    with pytest.raises(CredentialsInvalid) as bad:
        Verifier(broker.url, AUD, clock=later).verify(forged)  # past exp, but forged: invalid, never expired
    assert bad.value.reason == "BAD_SIGNATURE"
    with pytest.raises(CredentialsExpired) as expired:
        Verifier(broker.url, AUD, clock=later).verify(t.value)
    assert expired.value.expired_at is not None and expired.value.reauth_command == "mayfly auth refresh"
    with pytest.raises(CredentialsInvalid) as none_alg:
        v.verify(jwt.encode({"sub": "x"}, None, algorithm="none", headers={"typ": "at+jwt", "kid": "k"}) + "c2ln")
    assert none_alg.value.reason == "ALGORITHM_NOT_ALLOWED"
    assert v.jwks_fetches == 1  # the JWKS was fetched once and cached


def test_revocation_feed_from_the_real_broker(broker, agent):
    t = _task_token(broker, agent, task_id="revoke-me")
    with TokenProvider(broker.url, client_id=broker.admin_id, client_secret=broker.admin_secret) as admin:
        # fail_closed=False: the first heartbeat may be 10 s away; the stale bound has its own test below
        with RevocationFeed(broker.url, admin.token, fail_closed=False) as feed:
            v = Verifier(broker.url, AUD, revocations=feed)
            v.verify(t.value)
            # Task ids are scoped to their agent: the admin names whose task it is.
            owner = jwt.decode(t.value, options={"verify_signature": False})["sub"]
            r = broker.admin("POST", "/v1/revocations", json={"task_id": "revoke-me", "agent_id": owner, "reason": "test"})
            assert r.status_code == 201, r.text
            assert feed.wait_for(r.json()["data"]["seq"], 10)
            with pytest.raises(CredentialsRevoked) as e:
                v.verify(t.value)
            assert e.value.reauth_command is None


class _Keys:
    def __init__(self):
        self.ed = ed25519.Ed25519PrivateKey.generate()
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self, which, kid):
        key = self.ed.public_key() if which == "ed" else self.rsa.public_key()
        algo = jwt.algorithms.OKPAlgorithm if which == "ed" else jwt.algorithms.RSAAlgorithm
        d = json.loads(algo.to_jwk(key))
        d["kid"] = kid
        return d

    def sign(self, which, kid, iss, **claims):
        now = int(time.time())
        payload = {"iss": iss, "sub": "agt_1", "aud": AUD, "iat": now, "exp": now + 300, "jti": "j1",
                   "scope": "orders:read", **claims}
        key = self.ed if which == "ed" else self.rsa
        alg = "EdDSA" if which == "ed" else "RS256"
        return jwt.encode(payload, key, algorithm=alg, headers={"typ": "at+jwt", "kid": kid})


def _jwks(*keys):
    return (200, {"Content-Type": "application/json"}, json.dumps({"keys": list(keys)}).encode())


def test_unknown_kid_refetches_and_rs256_verifies(resource):
    k = _Keys()
    clock = ManualClock(time.time())
    resource.script = [_jwks(k.jwk("ed", "old")), _jwks(k.jwk("ed", "old"), k.jwk("rsa", "new"))]
    v = Verifier(resource.url, AUD, clock=clock)
    assert v.verify(k.sign("ed", "old", resource.url)).subject == "agt_1"
    clock.advance(11)
    assert v.verify(k.sign("rsa", "new", resource.url)).subject == "agt_1"
    assert v.jwks_fetches == 2
    with pytest.raises(CredentialsInvalid) as e:
        v.verify(k.sign("rsa", "nowhere", resource.url))  # within the refetch interval: no third fetch
    assert e.value.reason == "UNKNOWN_KEY" and v.jwks_fetches == 2
    with pytest.raises(CredentialsInvalid) as mismatch:
        v.verify(k.sign("rsa", "old", resource.url))
    assert mismatch.value.reason == "KEY_MISMATCH"


@pytest.mark.parametrize("body", [b"not json", b'{"keys": "nope"}', b"[1,2,3]", b'{"keys": [{"kty": "OKP"}]}'])
def test_malformed_jwks_is_a_typed_unavailable(resource, body):
    k = _Keys()
    resource.script = [(200, {"Content-Type": "application/json"}, body)]
    v = Verifier(resource.url, AUD)
    with pytest.raises((Unavailable, CredentialsInvalid)) as e:
        v.verify(k.sign("ed", "k1", resource.url))
    assert e.value.reason in ("KEYS_UNAVAILABLE", "UNKNOWN_KEY")


def test_sse_garbage_lines_unknown_kinds_and_an_endless_line():
    feed = RevocationFeed("http://127.0.0.1:9", lambda: "t", stale_after=1e9)
    stream = [
        b"garbage without a colon\n", b"\x00\xff\xfe binary\n", b": a comment\n", b"\n",
        b"id: 1\nevent: revocation\ndata: {\"seq\":1,\"kind\":\"planet\",\"target\":\"x\",\"covers_until\":\"2099-01-01T00:00:00Z\"}\n\n",
        b"event: something-new\ndata: {}\n\n",
        b"id: 2\nevent: revocation\ndata: {\"seq\":2,\"kind\":\"token\",\"target\":\"j1\",\"covers_until\":\"2099-01-01T00:00:00Z\"}\n\n",
    ]
    feed.read_stream(iter(stream))
    assert feed.last_sequence == 2 and feed.unknown_kinds["planet"] == 1 and len(feed) == 1
    with pytest.raises(CredentialsRevoked):
        feed.check({"jti": "j1", "sub": "a"})
    with pytest.raises(FeedError):
        feed.read_stream(iter([b"data: " + b"x" * (100 * 1024)]))
    with pytest.raises(FeedError):
        feed.read_stream(iter([b"event: revocation\ndata: {\"seq\": \"nan\"}\n\n"]))
    feed.close()


def test_a_stale_feed_fails_closed():
    clock = ManualClock(1000)
    feed = RevocationFeed("http://127.0.0.1:9", lambda: "t", clock=clock, stale_after=60)
    feed.read_stream(iter([b"event: heartbeat\ndata: {\"seq\":0}\n\n"]))
    feed.check({"jti": "x"})
    clock.advance(61)
    with pytest.raises(Unavailable):
        feed.check({"jti": "x"})
    feed.close()

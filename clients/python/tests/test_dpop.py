"""DPoP (RFC 9449) against a REAL broker whose policy demands binding for the `high` tier and server nonces:
login, refresh and token exchange bound to the provider's key, the nonce round trip, resource calls to the broker's
/v1/whoami with `Authorization: DPoP` and a proof per request, no Bearer downgrade, and refusals as catalog errors."""

from __future__ import annotations

import asyncio
import json
import os
import stat

import httpx
import pytest

from conftest import Broker
from mayfly import AsyncTokenProvider, CredentialsInvalid, MayflyAuth, TokenProvider
from mayfly._jwt import unverified_claims
from mayfly.dpop import DpopKey, ath, htu
from mayfly.dpop_verifier import DpopProofVerifier

POLICY = """
[dpop]
required_tiers = ["high"]
nonce = true
"""
HIGH = ("orders:read", "orders:delete")  # *:delete is a high-tier scope


@pytest.fixture(scope="module")
def dpop_broker(tmp_path_factory):
    b = Broker(tmp_path_factory.mktemp("mayfly-dpop"), policy=POLICY)
    yield b
    b.stop()


def test_a_key_is_generated_saved_0600_and_never_shown(tmp_path):
    for alg in ("ES256", "EdDSA"):
        path = tmp_path / f"{alg}.jwk"
        key = DpopKey.load_or_create(path, alg)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert DpopKey.load(path).thumbprint == key.thumbprint == DpopKey.load_or_create(path).thumbprint
        private_d = json.loads(path.read_text())["d"]
        assert private_d not in repr(key) and private_d not in str(key) and key.thumbprint in repr(key)
    # A PEM PRIVATE KEY (as `openssl genpkey` writes) loads, signs RS256 proofs and saves as a full RSA JWK.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    rsa_key = DpopKey.from_text(pem)
    rsa_key.save(tmp_path / "rsa.jwk")
    assert rsa_key.alg == "RS256" and DpopKey.load(tmp_path / "rsa.jwk").thumbprint == rsa_key.thumbprint
    assert DpopProofVerifier().verify(rsa_key.proof("POST", "https://a.test/t"), "POST", "https://a.test/t",
                                      None) == rsa_key.thumbprint
    with pytest.raises(ValueError) as bad:
        DpopKey.from_text('{"kty":"EC","crv":"P-256","x":"secret-x","y":"y"}')
    assert "secret-x" not in str(bad.value)


def test_proofs_carry_what_rfc_9449_asks_and_verify(tmp_path):
    key = DpopKey.generate("EdDSA")
    p = key.proof("get", "https://api.test/orders?page=2#top", access_token="tok", nonce="n-1")
    header = json.loads(__import__("base64").urlsafe_b64decode(p.split(".")[0] + "=="))
    claims = unverified_claims(p)
    assert header["typ"] == "dpop+jwt" and header["alg"] == "EdDSA" and "d" not in header["jwk"]
    assert claims["htm"] == "GET" and claims["htu"] == "https://api.test/orders" == htu("https://api.test/orders?x")
    assert claims["ath"] == ath("tok") and claims["nonce"] == "n-1" and len(claims["jti"]) >= 16
    assert DpopProofVerifier().verify(p, "GET", "https://api.test/orders", "tok") == key.thumbprint


def test_without_a_key_the_policy_refuses_the_high_tier_login(dpop_broker):
    cid, secret = dpop_broker.create_agent(scopes=HIGH)
    with TokenProvider(dpop_broker.url, client_id=cid, client_secret=secret) as tokens:
        with pytest.raises(CredentialsInvalid) as refused:
            tokens.token()
    assert "required_tiers" in refused.value.message
    assert refused.value.reauth_command == "mayfly auth login --dpop"


def test_login_refresh_exchange_and_whoami_are_bound_to_the_key_after_a_nonce_round_trip(dpop_broker):
    cid, secret = dpop_broker.create_agent(scopes=HIGH)
    key = DpopKey.generate("ES256")
    with TokenProvider(dpop_broker.url, client_id=cid, client_secret=secret, dpop_key=key) as tokens:
        t = tokens.token()
        assert t.token_type == "DPoP" and t.authorization().startswith("DPoP ")
        assert unverified_claims(t.value)["cnf"]["jkt"] == key.thumbprint
        # The broker demanded a nonce (use_dpop_nonce); the provider retried once with it and remembers it.
        assert tokens._cfg.dpop.nonces.get(dpop_broker.url)

        fresh = tokens.refresh(t)
        assert fresh.value != t.value and unverified_claims(fresh.value)["cnf"]["jkt"] == key.thumbprint

        task = tokens.task(scope="orders:read", audience="https://orders.example")
        assert task.dpop_bound and unverified_claims(task.value)["cnf"]["jkt"] == key.thumbprint

        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            r = http.get(dpop_broker.url + "/v1/whoami")
            assert r.status_code == 200, r.text
            assert r.request.headers["Authorization"].startswith("DPoP ")
            first = r.request.headers["DPoP"]
            r2 = http.get(dpop_broker.url + "/v1/whoami?again=1")
            assert r2.status_code == 200 and r2.request.headers["DPoP"] != first  # a fresh proof per request

        # No downgrade: the same token as Bearer is refused, as a catalog error naming the binding.
        bearer = httpx.get(dpop_broker.url + "/v1/whoami", headers={"Authorization": "Bearer " + fresh.value})
        assert bearer.status_code == 401 and bearer.headers["www-authenticate"].startswith("DPoP ")
        assert bearer.json()["error"]["code"] == "CREDENTIALS_INVALID"
        # Another key's proof for the bound token: refused too.
        other = DpopKey.generate("EdDSA")
        stolen = httpx.get(dpop_broker.url + "/v1/whoami", headers={
            "Authorization": "DPoP " + fresh.value,
            "DPoP": other.proof("GET", dpop_broker.url + "/v1/whoami", access_token=fresh.value)})
        assert stolen.status_code == 401 and 'error="invalid_token"' in stolen.headers["www-authenticate"]


def test_a_refresh_token_bound_at_login_is_refused_without_the_key(dpop_broker):
    cid, secret = dpop_broker.create_agent(scopes=HIGH)
    with TokenProvider(dpop_broker.url, client_id=cid, client_secret=secret, dpop_key=DpopKey.generate()) as tokens:
        tokens.token()
        refresh_token = tokens._session.refresh_token
    r = httpx.post(dpop_broker.url + "/oauth/token", data={"grant_type": "refresh_token",
                                                           "refresh_token": refresh_token})
    assert r.status_code == 400 and r.json()["error"] == "invalid_dpop_proof"


def test_the_async_provider_logs_in_bound_with_the_nonce(dpop_broker):
    cid, secret = dpop_broker.create_agent(scopes=HIGH)
    key = DpopKey.generate("EdDSA")

    async def run():
        async with AsyncTokenProvider(dpop_broker.url, client_id=cid, client_secret=secret, dpop_key=key) as tokens:
            t = await tokens.token()
            async with httpx.AsyncClient(auth=MayflyAuth(tokens)) as http:
                r = await http.get(dpop_broker.url + "/v1/whoami")
            return t, r.status_code

    t, status = asyncio.run(run())
    assert t.dpop_bound and unverified_claims(t.value)["cnf"]["jkt"] == key.thumbprint and status == 200


def test_a_resources_nonce_challenge_is_answered_once_with_the_nonce(broker, resource):
    cid, secret = broker.create_agent(audiences=(resource.url,))
    resource.script = [(401, {"WWW-Authenticate": 'DPoP error="use_dpop_nonce", error_description="nonce required"',
                              "DPoP-Nonce": "resource-nonce-1"}, b"")]
    with TokenProvider(broker.url, client_id=cid, client_secret=secret, dpop_key=DpopKey.generate()) as tokens:
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            r = http.get(resource.url + "/orders?page=1")
    assert r.status_code == 200 and len(resource.seen) == 2
    assert all(a.startswith("DPoP ") for a in resource.seen)
    first, second = (unverified_claims(p) for p in resource.dpop_seen)
    assert "nonce" not in first and second["nonce"] == "resource-nonce-1"
    assert second["htu"] == resource.url + "/orders" and second["htm"] == "GET" and first["jti"] != second["jti"]


def test_a_nonce_demanded_twice_is_handed_back_not_looped(broker, resource):
    cid, secret = broker.create_agent(audiences=(resource.url,))
    challenge = (401, {"WWW-Authenticate": 'DPoP error="use_dpop_nonce"', "DPoP-Nonce": "n"}, b"")
    resource.script = [challenge, challenge, challenge]
    with TokenProvider(broker.url, client_id=cid, client_secret=secret, dpop_key=DpopKey.generate()) as tokens:
        with httpx.Client(auth=MayflyAuth(tokens)) as http:
            r = http.get(resource.url + "/x")
    assert r.status_code == 401 and len(resource.seen) == 2


@pytest.fixture
def dpop_mcp(broker):
    """MayflyMCPAuth around a tiny ASGI app, on uvicorn on a real socket."""
    import threading
    import time

    uvicorn = pytest.importorskip("uvicorn")
    from conftest import free_port
    from mayfly import MayflyMCPAuth
    from mayfly.verifier import Verifier

    async def app(scope, receive, send):
        who = scope["state"]["mayfly_token"]
        body = json.dumps({"sub": who.subject, "jkt": who.bound_key}).encode()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": body})

    port = free_port()
    resource = f"http://127.0.0.1:{port}/mcp"
    server = uvicorn.Server(uvicorn.Config(MayflyMCPAuth(app, verifier=Verifier(broker.url, resource),
                                                         resource=resource), host="127.0.0.1", port=port,
                                           log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield resource
    server.should_exit = True
    t.join(10)


def test_the_mcp_middleware_takes_a_bound_token_only_with_its_proof(broker, dpop_mcp):
    from mayfly import classify
    from mayfly.classify import Kind

    resource = dpop_mcp
    origin = resource.rsplit("/mcp", 1)[0]
    cid, secret = broker.create_agent(audiences=(resource,))
    key = DpopKey.generate("ES256")
    with TokenProvider(broker.url, client_id=cid, client_secret=secret, dpop_key=key) as tokens:
        with httpx.Client(auth=MayflyAuth(tokens, audience={origin: resource})) as http:
            ok = http.post(resource, json={})
        assert ok.status_code == 200, ok.text
        assert ok.json()["jkt"] == key.thumbprint
        task = tokens.task(audience=resource)

        downgrade = httpx.post(resource, json={}, headers={"Authorization": "Bearer " + task.value})
        assert downgrade.status_code == 401
        assert downgrade.headers["www-authenticate"].startswith('DPoP realm="mayfly", error="invalid_token"')
        err = downgrade.json()["error"]
        assert err["code"] == "CREDENTIALS_INVALID" and err["dpop_error"] == "invalid_token"
        assert err["auth_scheme"] == "DPoP" and "Bound to a DPoP key" in err["message"]
        verdict = classify(downgrade.status_code, downgrade.headers, downgrade.text, "opaque")
        assert verdict.kind is Kind.INVALID

        wrong_url = httpx.post(resource, json={}, headers={
            "Authorization": "DPoP " + task.value,
            "DPoP": key.proof("POST", origin + "/elsewhere", access_token=task.value)})
        assert wrong_url.status_code == 401
        assert 'error="invalid_dpop_proof"' in wrong_url.headers["www-authenticate"]
        assert "htu does not match" in wrong_url.json()["error"]["message"]

        # Through the httpx auth the same refusal surfaces as the catalog error, never as a stack of raw JSON.
        def bad_proof(request):
            request.headers["DPoP"] = key.proof("POST", origin + "/elsewhere", access_token=task.value)

        with httpx.Client(auth=MayflyAuth(tokens, audience={origin: resource}),
                          event_hooks={"request": [bad_proof]}) as http:
            with pytest.raises(CredentialsInvalid) as refused:
                http.post(resource, json={})
        assert "htu" in refused.value.message

"""Logging in without a client secret (RFC 7523 client assertions) against the REAL broker: a key-bound agent
(private_key_jwt) and federated agents whose tokens come from a loopback OIDC issuer stand-in (discovery, JWKS,
RS256 tokens, and GitHub Actions' token request service), as mayfly-server's OidcIssuerStandIn does in Java."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mayfly import CredentialsInvalid, CredentialsMissing, TokenProvider
from mayfly._jwt import unverified_claims
from mayfly.assertions import federated, from_file, github_actions, private_key_jwt
from mayfly.dpop import DpopKey, b64u

REPO = "acme/shop"


class OidcIssuerStandIn:
    """An external OIDC issuer on a real loopback socket: discovery, its JWKS at /keys, and GitHub Actions'
    ACTIONS_ID_TOKEN_REQUEST_URL at /_actions/token (bearer REQUEST_TOKEN, ``audience`` query parameter)."""

    REQUEST_TOKEN = "actions-request-" + uuid.uuid4().hex

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "standin-1"
        self.audiences_asked: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                u = urllib.parse.urlsplit(self.path)
                if u.path == "/.well-known/openid-configuration":
                    doc = {"issuer": outer.url, "jwks_uri": outer.url + "/keys",
                           "id_token_signing_alg_values_supported": ["RS256"]}
                elif u.path == "/keys":
                    n = outer.key.public_key().public_numbers()
                    doc = {"keys": [{"kty": "RSA", "kid": outer.kid, "use": "sig", "alg": "RS256",
                                     "n": b64u(n.n.to_bytes(256, "big")), "e": b64u(n.e.to_bytes(3, "big"))}]}
                elif u.path == "/_actions/token":
                    audience = urllib.parse.parse_qs(u.query).get("audience", [None])[0]
                    if self.headers.get("Authorization") != "Bearer " + outer.REQUEST_TOKEN or not audience:
                        self.send_response(403)
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    outer.audiences_asked.append(audience)
                    doc = {"count": 1, "value": outer.token(audience)}
                else:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = json.dumps(doc).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def token(self, audience: str, repository: str = REPO, lifetime: int = 300) -> str:
        """Shaped like a GitHub Actions OIDC token."""
        now = int(time.time())
        claims = {"iss": self.url, "sub": f"repo:{repository}:ref:refs/heads/main", "aud": audience,
                  "repository": repository, "ref": "refs/heads/main", "iat": now, "nbf": now, "exp": now + lifetime,
                  "jti": uuid.uuid4().hex}
        return jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": self.kid, "typ": "JWT"})

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def issuer():
    s = OidcIssuerStandIn()
    yield s
    s.close()


def federated_agent(broker, issuer, repository=REPO):
    return broker.create_agent(federated={"issuer": issuer.url, "claims": {"repository": repository}})


def test_a_key_bound_agent_logs_in_with_no_secret(broker):
    key = DpopKey.generate("EdDSA")
    cid, secret = broker.create_agent(public_key=key.public_jwk)
    assert secret is None
    with TokenProvider(broker.url, client_id=cid, client_assertion=private_key_jwt(cid, key)) as tokens:
        t = tokens.token()
        assert unverified_claims(t.value)["client_id"] == cid
        tokens.refresh(t)  # the session refreshes with its refresh token, no new assertion needed
    # Every login signs a fresh assertion (new jti): a second provider logs in too.
    with TokenProvider(broker.url, client_id=cid, client_assertion=private_key_jwt(cid, key)) as tokens:
        assert tokens.token().value


def test_a_key_bound_login_with_a_key_file_and_dpop(broker, tmp_path):
    key = DpopKey.load_or_create(tmp_path / "agent.jwk", "ES256")
    cid, _ = broker.create_agent(public_key=key.public_jwk)
    dpop = DpopKey.generate("EdDSA")
    with TokenProvider(broker.url, client_id=cid, client_assertion=private_key_jwt(cid, tmp_path / "agent.jwk"),
                       dpop_key=dpop) as tokens:
        t = tokens.token()
        assert t.dpop_bound and unverified_claims(t.value)["cnf"]["jkt"] == dpop.thumbprint


def test_an_assertion_by_another_key_is_refused_as_invalid(broker):
    cid, _ = broker.create_agent(public_key=DpopKey.generate("EdDSA").public_jwk)
    with TokenProvider(broker.url, client_id=cid,
                       client_assertion=private_key_jwt(cid, DpopKey.generate("EdDSA"))) as tokens:
        with pytest.raises(CredentialsInvalid) as refused:
            tokens.token()
    assert "signature" in refused.value.message.lower()


def test_a_federated_agent_logs_in_with_a_token_from_a_file_once(broker, issuer, tmp_path):
    cid, secret = federated_agent(broker, issuer)
    assert secret is None
    path = tmp_path / "token"
    path.write_text(issuer.token(broker.url) + "\n")
    with TokenProvider(broker.url, client_id=cid, client_assertion=from_file(path)) as tokens:
        assert unverified_claims(tokens.token().value)["client_id"] == cid
    # The broker accepts an assertion once: the same file again is a replay.
    with TokenProvider(broker.url, client_id=cid, client_assertion=from_file(path)) as tokens:
        with pytest.raises(CredentialsInvalid):
            tokens.token()


def test_a_federated_login_from_github_actions_asks_for_the_brokers_audience(broker, issuer):
    cid, _ = federated_agent(broker, issuer)
    env = {"ACTIONS_ID_TOKEN_REQUEST_URL": issuer.url + "/_actions/token?api-version=2.0",
           "ACTIONS_ID_TOKEN_REQUEST_TOKEN": issuer.REQUEST_TOKEN}
    for source in (github_actions(env), federated(env)):
        with TokenProvider(broker.url, client_id=cid, client_assertion=source) as tokens:
            assert tokens.token().value
    assert issuer.audiences_asked == [broker.url, broker.url]


def test_a_federated_token_that_breaks_a_claim_rule_is_refused_naming_it(broker, issuer, tmp_path):
    cid, _ = federated_agent(broker, issuer, repository="acme/other")
    path = tmp_path / "token"
    path.write_text(issuer.token(broker.url))
    with TokenProvider(broker.url, client_id=cid, client_assertion=federated({"MAYFLY_ASSERTION_FILE": str(path)},
                                                                             kubernetes_path=tmp_path / "none")) as tokens:
        with pytest.raises(CredentialsInvalid) as refused:
            tokens.token()
    assert "repository" in refused.value.message


def test_no_workload_token_anywhere_is_credentials_missing(broker, issuer, tmp_path):
    cid, _ = federated_agent(broker, issuer)
    with TokenProvider(broker.url, client_id=cid,
                       client_assertion=federated({}, kubernetes_path=tmp_path / "absent")) as tokens:
        with pytest.raises(CredentialsMissing) as missing:
            tokens.token()
    assert "MAYFLY_ASSERTION_FILE" in missing.value.message


def test_the_kubernetes_path_is_read_when_nothing_else_is_set(broker, issuer, tmp_path):
    cid, _ = federated_agent(broker, issuer)
    path = tmp_path / "projected"
    path.write_text(issuer.token(broker.url))
    with TokenProvider(broker.url, client_id=cid, client_assertion=federated({}, kubernetes_path=path)) as tokens:
        assert tokens.token().value

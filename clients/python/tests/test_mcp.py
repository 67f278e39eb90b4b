"""The MCP middleware and examples/python-mcp against the real broker: RFC 9728 metadata, 401/403
challenges, and the example agent calling the example server's tools with a per-task token."""

from __future__ import annotations

import importlib.util
import threading
import time

import httpx
import pytest

from conftest import ROOT, free_port

pytest.importorskip("mcp")
uvicorn = pytest.importorskip("uvicorn")

EXAMPLE = ROOT / "examples" / "python-mcp"


def _load(name, monkeypatch, env):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def mcp_server(broker, monkeypatch):
    port = free_port()
    resource = f"http://127.0.0.1:{port}/mcp"
    env = {"MAYFLY_URL": broker.url, "ORDERS_MCP_URL": resource, "MAYFLY_HOME": str(broker.home)}
    server_mod = _load("server", monkeypatch, env)
    config = uvicorn.Config(server_mod.build_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    assert server.started
    yield resource, env
    server.should_exit = True
    t.join(10)


def test_metadata_and_challenges(broker, mcp_server):
    resource, _ = mcp_server
    origin = resource.rsplit("/mcp", 1)[0]
    meta = httpx.get(origin + "/.well-known/oauth-protected-resource/mcp").json()
    assert meta["resource"] == resource and meta["authorization_servers"] == [broker.url]
    assert set(meta["scopes_supported"]) == {"orders:read", "orders:write"}

    r = httpx.post(resource, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == (
        f'Bearer resource_metadata="{origin}/.well-known/oauth-protected-resource/mcp"')
    assert r.json()["error"]["code"] == "CREDENTIALS_MISSING"

    r = httpx.post(resource, json={}, headers={"Authorization": "Bearer not.a.token"})
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"]

    cid, secret = broker.create_agent(scopes=("orders:read",), audiences=(resource,))
    from mayfly import TokenProvider
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        wrong_aud = tokens.token().value  # the session token: audienced to the broker, not this server
        r = httpx.post(resource, json={}, headers={"Authorization": "Bearer " + wrong_aud})
        assert r.status_code == 401 and r.json()["error"]["code"] == "CREDENTIALS_INVALID"
        t = tokens.task(scope="orders:read", audience=resource)
        r = httpx.post(resource, headers={"Authorization": t.authorization()},
                       json={"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                             "params": {"name": "refund", "arguments": {"order_id": "ord_1"}}})
        assert r.status_code == 403
        assert 'error="insufficient_scope", scope="orders:write"' in r.headers["www-authenticate"]
        assert r.json()["error"]["missing_scopes"] == ["orders:write"]


def test_example_agent_calls_the_tools_with_a_task_token(mcp_server, monkeypatch):
    _, env = mcp_server
    monkeypatch.delenv("MAYFLY_CLIENT_ID", raising=False)
    monkeypatch.delenv("MAYFLY_CLIENT_SECRET", raising=False)
    agent = _load("agent", monkeypatch, env)
    lines = agent.main()
    text = "\n".join(lines)
    assert "tools: list_orders, refund" in text or "tools: refund, list_orders" in text, text
    assert "ord_1" in text and "ord_2" in text
    assert "refund: PERMISSION_DENIED (exit 8)" in text

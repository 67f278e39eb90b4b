"""TokenProvider against the real broker: login, task tokens by exchange, refresh ahead, single flight."""

from __future__ import annotations

import threading
import time

import pytest

from mayfly import ManualClock, TokenProvider
from mayfly.errors import CredentialsInvalid, PermissionDenied


def test_logs_in_and_exchanges_a_task_token(broker, agent):
    cid, secret = agent
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        session = tokens.token()
        assert session.session_id and session.expires_at > time.time()
        assert "value=redacted" in repr(session) and session.value not in repr(session)
        t = tokens.task(scope="orders:read", audience="https://orders.example", task_id="invoice-42", ttl=120)
        assert t.task_id == "invoice-42"
        assert t.expires_at - time.time() <= 125
        assert tokens.task(scope="orders:read", audience="https://orders.example", task_id="invoice-42", ttl=120) is t


def test_a_scope_beyond_the_agents_is_a_permanent_denial(broker, agent):
    cid, secret = agent
    with TokenProvider(broker.url, client_id=cid, client_secret=secret) as tokens:
        with pytest.raises(PermissionDenied) as e:
            tokens.task(scope="orders:write", audience="https://orders.example")
        assert e.value.exit_code == 8 and not e.value.retryable


def test_a_wrong_secret_is_invalid_and_sticks(broker, agent):
    cid, _ = agent
    with TokenProvider(broker.url, client_id=cid, client_secret="mfy_cs_wrong") as tokens:
        with pytest.raises(CredentialsInvalid):
            tokens.token()
        with pytest.raises(CredentialsInvalid):
            tokens.token()


def test_refreshes_ahead_at_refresh_after(broker, agent):
    cid, secret = agent
    clock = ManualClock(time.time())
    with TokenProvider(broker.url, client_id=cid, client_secret=secret, clock=clock) as tokens:
        first = tokens.token()
        assert first.refresh_at < first.expires_at
        assert tokens.token() is first
        clock.set(first.refresh_at + 0.001)
        second = tokens.token()
        assert second.value != first.value and second.session_id == first.session_id


def test_one_hundred_threads_at_expiry_cause_one_refresh(broker, agent):
    cid, secret = agent
    clock = ManualClock(time.time())
    tokens = TokenProvider(broker.url, client_id=cid, client_secret=secret, clock=clock)
    first = tokens.token()
    calls = []
    original = tokens._broker.post

    def counting(path, form, auth=None):
        calls.append(dict(form)["grant_type"])
        return original(path, form, auth)

    tokens._broker.post = counting  # counts the calls that go to the real broker; does not replace it
    clock.set(first.expires_at + 1)
    got = []
    barrier = threading.Barrier(100)

    def ask():
        barrier.wait()
        got.append(tokens.token())

    threads = [threading.Thread(target=ask) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(got) == 100 and len({g.value for g in got}) == 1
    assert calls == ["refresh_token"]
    tokens.close()

"""Faults as in the Java SDK's OutageTest: the broker goes down mid-session, answers slowly, one of several URLs
is dead; a fleet's refreshes spread by jitter. Time is a ManualClock; waits advance it instead of sleeping."""

from __future__ import annotations

import random
import socket
import time
from collections import Counter

import pytest

from mayfly import Backoff, ManualClock, RefreshPolicy, TokenProvider, Unavailable


def _provider(url, agent, clock, **kw):
    cid, secret = agent
    return TokenProvider(url, client_id=cid, client_secret=secret, clock=clock, sleep=clock.advance,
                         rng=random.Random(7), **kw)


def test_broker_down_mid_session_serves_the_token_until_expiry_then_a_typed_error(proxy, agent):
    clock = ManualClock(time.time())
    tokens = _provider(proxy.url, agent, clock, acquire_timeout=5)
    first = tokens.token()
    proxy.mode = "down"
    clock.set(first.refresh_at + 1)
    assert tokens.token() is first  # due, broker down: the valid token is served
    clock.set(first.expires_at - 1)
    assert tokens.token() is first
    clock.set(first.expires_at + 0.5)
    started = time.monotonic()
    with pytest.raises(Unavailable) as e:
        tokens.token()
    assert time.monotonic() - started < 10, "never a hang"
    assert e.value.retryable and e.value.exit_code == 12 and e.value.retry_after_ms > 0
    assert first.value not in str(e.value)
    proxy.mode = "pass"
    clock.advance(60)
    assert tokens.token().value != first.value  # the broker is back: renewed
    tokens.close()


def test_slow_broker_times_out_and_the_valid_token_is_still_served(proxy, agent):
    clock = ManualClock(time.time())
    tokens = _provider(proxy.url, agent, clock, request_timeout=0.5, acquire_timeout=1)
    first = tokens.token()
    proxy.mode = "hang"
    clock.set(first.refresh_at + 1)
    started = time.monotonic()
    assert tokens.token() is first
    assert time.monotonic() - started < 5
    clock.set(first.expires_at + 1)
    with pytest.raises(Unavailable):
        tokens.token()
    proxy.mode = "pass"
    clock.advance(120)
    # A refresh that timed out may have been processed: the provider logs in again instead of reusing it.
    again = tokens.token()
    assert again.session_id != first.session_id
    tokens.close()


def test_fails_over_to_the_next_broker_url(broker, agent):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"  # bound, not listening: refused
        clock = ManualClock(time.time())
        tokens = _provider([dead, broker.url], agent, clock)
        assert tokens.token().session_id
        assert tokens._broker._failover.preferred == 1
        tokens.close()


def test_fallback_credential_is_used_only_while_the_broker_is_unreachable(proxy, agent):
    clock = ManualClock(time.time())
    asked = []

    def vault(audience):
        asked.append(audience)
        return "fallback-credential"

    tokens = _provider(proxy.url, agent, clock, fallback=vault, acquire_timeout=1)
    first = tokens.token()
    assert asked == []
    proxy.mode = "down"
    clock.set(first.expires_at + 1)
    assert tokens.token().value == "fallback-credential"
    assert asked == [None]
    proxy.mode = "pass"
    clock.advance(60)
    assert tokens.token().value not in ("fallback-credential", first.value)
    assert asked == [None]
    tokens.close()


def test_backoff_has_full_jitter_and_a_cap():
    b = Backoff(base=1, cap=30)
    rng = random.Random(1234)
    delays = [b.delay(n, None, rng) for n in range(1, 10)]
    assert all(0 < d <= min(30, 2 ** (n - 1)) for n, d in zip(range(1, 10), delays))
    assert len(set(round(d, 6) for d in delays)) == 9
    assert b.delay(50, 100, rng) <= 60


def test_refresh_storm_is_flattened_by_jitter():
    """1,000 agents logged in at the same instant with a broker that hands every one the same hint."""
    def peak(policy):
        rng = random.Random(42)
        return max(Counter(int(policy.refresh_delay(600, 400, rng)) for _ in range(1000)).values())

    lockstep = peak(RefreshPolicy(jitter=0))
    jittered = peak(RefreshPolicy())
    assert lockstep == 1000
    assert jittered <= 40, jittered  # spread over 60 s: ~17 a second


def test_real_broker_refresh_points_differ_between_agents(broker, agent):
    """Agents logged in at the same instant refresh at different points (broker and client jitter)."""
    clock = ManualClock(time.time())
    cid, secret = agent
    points = []
    for seed in range(10):
        with TokenProvider(broker.url, client_id=cid, client_secret=secret, clock=clock,
                           rng=random.Random(seed)) as tokens:
            t = tokens.token()
            points.append(t.refresh_at - clock())
    assert max(points) - min(points) > 20, points
    assert len({round(p, 3) for p in points}) >= 8, points


def test_a_caller_without_a_token_backs_off_with_full_jitter_then_gets_unavailable(proxy, agent):
    clock = ManualClock(time.time())
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock.advance(seconds)

    cid, secret = agent
    tokens = TokenProvider(proxy.url, client_id=cid, client_secret=secret, clock=clock, sleep=sleep,
                           rng=random.Random(1234), backoff=Backoff(base=1, cap=30), acquire_timeout=60)
    proxy.mode = "down"
    with pytest.raises(Unavailable) as e:
        tokens.token()
    assert len(waits) >= 4
    assert all(0 < w <= min(30, 2 ** n) for n, w in enumerate(waits)), waits  # U(0, min(cap, base * 2^(n-1)))
    assert len({round(w, 6) for w in waits}) == len(waits), "jittered, not a fixed schedule"
    assert sum(waits) <= 60 and e.value.retry_after_ms > 0
    proxy.mode = "pass"
    clock.advance(31)
    assert tokens.token().session_id
    tokens.close()


@pytest.mark.parametrize("answer", [
    (401, {"Content-Type": "text/html"}, b"<html><body>401 Authorization Required</body></html>"),
    (400, {"Content-Type": "application/json"}, b'{"error":"' + b"x" * (10 * 1024 * 1024) + b'"}'),
    (200, {"Content-Type": "application/json"}, b'{"token_type":"Bearer"}'),
    (200, {"Content-Type": "text/plain"}, b"not json"),
])
def test_a_broken_broker_answer_is_a_typed_error_never_a_hang(resource, answer):
    from mayfly import MayflyError
    resource.script = [answer]
    tokens = TokenProvider(resource.url, client_id="cid_x", client_secret="mfy_cs_x", acquire_timeout=1)
    started = time.monotonic()
    with pytest.raises(MayflyError) as e:
        tokens.token()
    assert time.monotonic() - started < 10
    assert e.value.code in ("CREDENTIALS_INVALID", "USAGE", "INTERNAL"), e.value.code
    assert "mfy_cs_x" not in str(e.value)
    tokens.close()


def test_a_valid_task_token_is_served_while_neither_it_nor_the_session_can_be_renewed(proxy, agent):
    clock = ManualClock(time.time())
    tokens = _provider(proxy.url, agent, clock, acquire_timeout=0.5)
    session = tokens.token()
    task = tokens.task(scope="orders:read", audience="https://orders.example", task_id="long-task")
    tokens.forget(session)  # e.g. a server said "token revoked, refresh recovers": no session token left
    proxy.mode = "down"
    clock.set(task.refresh_at + 1)
    assert tokens.task(scope="orders:read", audience="https://orders.example", task_id="long-task") is task
    clock.set(task.expires_at + 1)
    with pytest.raises(Unavailable):
        tokens.task(scope="orders:read", audience="https://orders.example", task_id="long-task")
    tokens.close()

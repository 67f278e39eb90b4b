"""AsyncTokenProvider against the real broker: same behaviour as the sync one, single flight across tasks."""

from __future__ import annotations

import asyncio
import random
import time

import pytest

from mayfly import ManualClock, Unavailable
from mayfly.aio import AsyncTokenProvider


def _provider(url, agent, clock, **kw):
    cid, secret = agent

    async def sleep(d):
        clock.advance(d)

    return AsyncTokenProvider(url, client_id=cid, client_secret=secret, clock=clock, sleep=sleep,
                              rng=random.Random(3), **kw)


def test_one_hundred_tasks_at_expiry_cause_one_refresh(broker, agent):
    async def main():
        clock = ManualClock(time.time())
        tokens = _provider(broker.url, agent, clock)
        first = await tokens.token()
        calls = []
        original = tokens._broker.post

        async def counting(path, form, auth=None):
            calls.append(dict(form)["grant_type"])
            return await original(path, form, auth)

        tokens._broker.post = counting
        clock.set(first.expires_at + 1)
        got = await asyncio.gather(*[tokens.token() for _ in range(100)])
        assert len({g.value for g in got}) == 1 and got[0].value != first.value
        assert calls == ["refresh_token"]
        t = await tokens.task(scope="orders:read", audience="https://orders.example", task_id="async-1")
        assert t.task_id == "async-1"
        await tokens.aclose()

    asyncio.run(main())


def test_broker_down_serves_until_expiry_then_unavailable(proxy, agent):
    async def main():
        clock = ManualClock(time.time())
        tokens = _provider(proxy.url, agent, clock, acquire_timeout=3)
        first = await tokens.token()
        proxy.mode = "down"
        clock.set(first.refresh_at + 1)
        assert await tokens.token() is first
        clock.set(first.expires_at + 1)
        with pytest.raises(Unavailable):
            await tokens.token()
        await tokens.aclose()

    asyncio.run(main())

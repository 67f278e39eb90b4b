// Fault tests, as in the Java SDK: the broker going down mid-session, a slow broker, a refresh storm
// flattened by jitter, and the backoff schedule read off a ManualClock. Nothing sleeps for token time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { TokenProvider, ManualClock, MayflyError } from "../dist/index.js";
import { refreshDelayMs, backoffDelayMs } from "../dist/tokens/policy.js";
import { Admin, broker, startBroker } from "./support/broker.mjs";

/** A seeded PRNG (mulberry32), so schedules are reproducible. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("broker down mid-session: the token is served until it expires, then a typed UNAVAILABLE; the fallback only then", async (t) => {
  const b = await startBroker();
  let stopped = false;
  t.after(() => (stopped ? undefined : b.stop()));
  const admin = new Admin(b.url, b.home);
  const agent = await admin.agent();
  const clock = new ManualClock(Date.now());
  let fallbackCalls = 0;
  const p = new TokenProvider({
    broker: b.url, clientId: agent.clientId, clientSecret: agent.clientSecret, clock, random: seeded(7),
    backoff: { baseMs: 1000, capMs: 30_000 }, acquireTimeoutMs: 5_000, requestTimeoutMs: 2_000,
    fallback: () => {
      fallbackCalls++;
      return "eyJ.fallback.token";
    },
  });
  t.after(() => p.close());
  const token = await p.sessionToken();
  await b.stop();
  stopped = true;
  // Past the refresh point: every call still gets the current token at once while renewals fail and back off.
  clock.set(token.refreshAt + 1);
  for (let i = 0; i < 20; i++) {
    assert.ok((await p.token()) === token.reveal(), "served while valid");
    await waitFor(() => clock.waiting > 0); // the failed attempt's backoff is sleeping on the clock
    clock.advance(Math.floor((token.expiresAt - token.refreshAt) / 25));
  }
  assert.ok(p.brokerCalls > 2, `retried during the outage (${p.brokerCalls} calls)`);
  assert.equal(fallbackCalls, 0, "no fallback while the session token is valid");
  // After expiry: the fallback source (used only while no broker answers)...
  clock.set(token.expiresAt + 1);
  assert.ok((await p.token()) === "eyJ.fallback.token");
  assert.equal(fallbackCalls, 1);
  // ...and without one, a typed, retryable UNAVAILABLE with retry_after_ms; never a hang.
  const bare = new TokenProvider({ broker: b.url, clientId: agent.clientId, clientSecret: agent.clientSecret, clock, requestTimeoutMs: 2_000 });
  t.after(() => bare.close());
  await assert.rejects(bare.token(), (e) => {
    assert.ok(e instanceof MayflyError);
    assert.equal(e.code, "UNAVAILABLE");
    assert.equal(e.retryable, true);
    assert.equal(e.exitCode, 12);
    assert.ok(e.retryAfterMs > 0);
    return true;
  });
});

test("a slow broker: the request times out as TIMEOUT and the next broker URL answers", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const sockets = [];
  const silent = createServer((s) => sockets.push(s)); // accepts, reads, never answers
  await new Promise((r) => silent.listen(0, "127.0.0.1", r));
  t.after(() => {
    sockets.forEach((s) => s.destroy());
    silent.close();
  });
  const slow = `http://127.0.0.1:${silent.address().port}`;
  const only = new TokenProvider({ broker: slow, clientId: agent.clientId, clientSecret: agent.clientSecret, requestTimeoutMs: 300, acquireTimeoutMs: 0 });
  t.after(() => only.close());
  const started = Date.now();
  await assert.rejects(only.token(), (e) => e instanceof MayflyError && e.code === "TIMEOUT" && e.retryable);
  assert.ok(Date.now() - started < 5_000, "bounded by the request timeout");
  const two = new TokenProvider({ broker: [slow, admin.url], clientId: agent.clientId, clientSecret: agent.clientSecret, requestTimeoutMs: 300 });
  t.after(() => two.close());
  assert.ok((await two.token()).length > 0);
});

test("refresh storm: 1,000 agents logged in at once refresh spread out, not in lockstep", () => {
  const random = seeded(42);
  const life = 600_000;
  const peak = (jitter, brokerHint) => {
    const perSecond = new Map();
    for (let i = 0; i < 1000; i++) {
      const hint = brokerHint ? life * (0.6 + 0.2 * random()) : (2 / 3) * life;
      const at = Math.floor(refreshDelayMs(life, hint, { jitter, latest: 0.9 }, random) / 1000);
      perSecond.set(at, (perSecond.get(at) ?? 0) + 1);
    }
    return Math.max(...perSecond.values());
  };
  const lockstep = peak(0, false);
  const clientOnly = peak(0.1, false);
  const both = peak(0.1, true);
  assert.equal(lockstep, 1000, "no jitter anywhere: everyone at the same second");
  assert.ok(clientOnly <= 40, `client jitter alone flattens a lockstep hint to ${clientOnly}/s`);
  assert.ok(both <= 25, `broker and client jitter: peak ${both}/s`);
  // Never later than 90 % of the lifetime, never before the hint.
  for (let i = 0; i < 1000; i++) {
    const d = refreshDelayMs(life, 400_000, { jitter: 0.1, latest: 0.9 }, random);
    assert.ok(d >= 400_000 && d <= 540_000);
  }
});

test("backoff: full jitter under an exponential ceiling, capped, Retry-After as a floor", () => {
  const random = seeded(1234);
  const b = { baseMs: 1000, capMs: 30_000 };
  const delays = Array.from({ length: 12 }, (_, i) => backoffDelayMs(i + 1, null, b, random));
  delays.forEach((d, i) => assert.ok(d >= 1 && d <= Math.min(30_000, 1000 * 2 ** i), `retry ${i + 1}: ${d}`));
  assert.ok(backoffDelayMs(1, 5_000, b, random) >= 5_000);
  assert.ok(backoffDelayMs(1, 90_000, b, random) <= 31_000, "Retry-After is capped");
});

async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 5));
}

test("refresh storm against the real broker: 50 agents logged in at one instant refresh spread out, once each", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const clock = new ManualClock(Date.now());
  const random = seeded(42);
  const fleet = Array.from({ length: 50 }, () =>
    new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, clock, random }));
  t.after(() => Promise.all(fleet.map((p) => p.close())));
  const first = await Promise.all(fleet.map((p) => p.sessionToken()));
  const life = first[0].expiresAt - clock.now();
  const perSecond = [];
  let total = fleet.length;
  for (let s = 0; s < Math.ceil(life * 0.95 / 1000); s++) {
    clock.advance(1000);
    await settle();
    const now = fleet.reduce((n, p) => n + p.brokerCalls, 0);
    perSecond.push(now - total);
    total = now;
  }
  await waitFor(() => fleet.every((p) => p.brokerCalls === 2));
  const busy = perSecond.map((n, i) => [i, n]).filter(([, n]) => n > 0);
  const spread = busy[busy.length - 1][0] - busy[0][0] + 1;
  const peak = Math.max(...perSecond);
  console.error(`storm: 50 agents, ${life / 1000}s tokens: peak ${peak}/s, first wave over ${spread}s`);
  assert.ok(peak <= 5, `peak ${peak} refreshes in one second`);
  assert.ok(spread >= life / 1000 * 0.15, `spread over ${spread}s`);
  assert.ok(busy[0][0] >= life / 1000 * 0.6 - 1, "nobody refreshed before the broker's earliest hint");
});

async function waitFor(cond, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

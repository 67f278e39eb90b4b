// TokenProvider against a real broker: login, refresh ahead, task tokens by exchange, single flight, several
// broker URLs, the CLI's cached session and MAYFLY_TOKEN. Time on the client is a ManualClock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenProvider, ManualClock, AccessToken, MayflyError, PermissionDeniedError, AuthFailureError } from "../dist/index.js";
import { broker, freePort } from "./support/broker.mjs";

test("client credentials: a session token, refreshed at the refresh point, one broker call per renewal", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const clock = new ManualClock(Date.now());
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, clock, background: false });
  t.after(() => p.close());
  const first = await p.sessionToken();
  assert.match(String(first), /^AccessToken\[session ses_.*value=redacted\]$/);
  assert.ok(!JSON.stringify(first).includes(first.reveal()), "JSON never shows the token");
  assert.ok((await p.token()) === first.reveal(), "same token, no broker call");
  assert.equal(p.brokerCalls, 1);
  const ratio = (first.refreshAt - clock.now()) / (first.expiresAt - clock.now());
  assert.ok(ratio >= 0.6 && ratio <= 0.9, `refresh at ${ratio} of the lifetime`);
  clock.set(first.refreshAt + 1);
  assert.ok((await p.sessionToken()).reveal() === first.reveal(), "still valid: served at once while the renewal runs");
  await waitFor(async () => (await p.sessionToken()).reveal() !== first.reveal());
  assert.equal(p.brokerCalls, 2);
  const second = await p.sessionToken();
  const who = await (await fetch(`${admin.url}/v1/whoami`, { headers: { Authorization: second.authorization() } })).json();
  assert.equal(who.ok, true);
  assert.equal(who.data.agent_id, agent.agentId);
});

test("task tokens by exchange: one per request, audienced, reused until renewed", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent({ scopes: ["orders:read", "orders:write"] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const task = await p.task({ scope: "orders:read", audience: "https://orders.example", taskId: "invoice-42", ttl: 120 });
  assert.equal(task.taskId, "invoice-42");
  assert.deepEqual(task.audience, ["https://orders.example"]);
  assert.deepEqual(task.scopes, ["orders:read"]);
  assert.ok(task.expiresAt - Date.now() <= 121_000, "the ttl wish was honoured");
  const calls = p.brokerCalls;
  assert.ok((await p.task({ scope: "orders:read", audience: "https://orders.example", taskId: "invoice-42", ttl: 120 })) === task);
  assert.equal(p.brokerCalls, calls, "same request, same token, no broker call");
  const other = await p.task({ scope: "orders:write", audience: "https://orders.example" });
  assert.ok(other.reveal() !== task.reveal(), "another request, another token");
});

test("a scope beyond the agent's is a PermissionDeniedError, never retried", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  await assert.rejects(p.task({ scope: "orders:delete", audience: "https://orders.example" }), (e) => {
    assert.ok(e instanceof PermissionDeniedError, String(e));
    assert.equal(e.code, "PERMISSION_DENIED");
    assert.equal(e.exitCode, 8);
    return true;
  });
});

test("a wrong client secret is CREDENTIALS_INVALID, permanent", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: "mfy_cs_wrong" });
  t.after(() => p.close());
  await assert.rejects(p.token(), (e) => e instanceof AuthFailureError && e.code === "CREDENTIALS_INVALID" && !e.message.includes("mfy_cs_wrong"));
  const calls = p.brokerCalls;
  await assert.rejects(p.token(), (e) => e.code === "CREDENTIALS_INVALID");
  assert.equal(p.brokerCalls, calls, "a permanent failure sticks without another broker call");
});

test("100 concurrent callers at expiry cause one broker call", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const clock = new ManualClock(Date.now());
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, clock, background: false });
  t.after(() => p.close());
  const first = await p.sessionToken();
  clock.set(first.expiresAt + 1);
  const before = p.brokerCalls;
  const all = await Promise.all(Array.from({ length: 100 }, () => p.token()));
  assert.equal(p.brokerCalls - before, 1);
  assert.equal(new Set(all).size, 1);
  assert.ok(all[0] !== first.reveal(), "a new token");
  // refresh(rejected) is shared too, and a caller holding an already replaced token gets the replacement.
  const again = await Promise.all(Array.from({ length: 16 }, () => p.refresh(all[0])));
  assert.equal(p.brokerCalls - before, 2);
  assert.equal(new Set(again.map((a) => a.reveal())).size, 1);
  assert.ok((await p.refresh(all[0])).reveal() === again[0].reveal(), "the replacement, no broker call");
  assert.equal(p.brokerCalls - before, 2);
});

test("several broker URLs: a dead first one is skipped, the one that answered is preferred", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const dead = `http://127.0.0.1:${await freePort()}`;
  const p = new TokenProvider({ broker: [dead, admin.url], clientId: agent.clientId, clientSecret: agent.clientSecret, background: false });
  t.after(() => p.close());
  assert.ok((await p.token()).length > 0);
  assert.equal(p.brokerCalls, 2, "one try at the dead URL, one at the live one");
  await p.refresh(await p.token());
  assert.equal(p.brokerCalls, 3, "the live URL is tried first now");
});

test("MAYFLY_TOKEN: used as it is; task tokens are exchanged from it", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const login = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => login.close());
  const value = await login.token();
  const p = TokenProvider.fromEnv({}, { MAYFLY_URL: admin.url, MAYFLY_TOKEN: value });
  t.after(() => p.close());
  assert.ok((await p.token()) === value, "MAYFLY_TOKEN as it is");
  const task = await p.task({ audience: "https://orders.example", scope: "orders:read" });
  assert.deepEqual(task.audience, ["https://orders.example"]);
  assert.ok(AccessToken.of(value).expiresAt > Date.now());
});

test("the CLI's cached session: read from MAYFLY_HOME, re-read when due, expired with the CLI's reauth command", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const login = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => login.close());
  const token = await login.sessionToken();
  const home = mkdtempSync(join(tmpdir(), "mayfly-ts-cache-"));
  const write = (access, expiresAt, refreshAfter) =>
    writeFileSync(join(home, "credentials.json"), JSON.stringify({
      version: 1,
      sessions: {
        [admin.url]: {
          url: admin.url, client_id: agent.clientId, agent_id: agent.agentId, session_id: token.sessionId,
          access_token: access, expires_at: new Date(expiresAt).toISOString(), refresh_after: new Date(refreshAfter).toISOString(),
          refresh_token: "mfy_rt_never_presented", session_expires_at: new Date(expiresAt + 600_000).toISOString(),
          scopes: ["orders:read"], tier: "low", obtained_at: new Date().toISOString(),
        },
      },
    }), { mode: 0o600 });
  const clock = new ManualClock(Date.now());
  write(token.reveal(), clock.now() + 60_000, clock.now() + 40_000);
  const p = TokenProvider.fromEnv({ clock }, { MAYFLY_URL: admin.url, MAYFLY_HOME: home });
  t.after(() => p.close());
  assert.ok((await p.token()) === token.reveal(), "the cached token");
  const calls = p.brokerCalls;
  // The CLI refreshes: the provider picks the new token up once its refresh point has passed.
  write("eyJ.replaced.token", clock.now() + 120_000, clock.now() + 100_000);
  clock.advance(41_000);
  await p.token();
  await waitFor(async () => (await p.token()) === "eyJ.replaced.token");
  assert.equal(p.brokerCalls, calls, "the cached session is never refreshed by this process");
  clock.advance(200_000);
  await assert.rejects(p.token(), (e) => {
    assert.ok(e instanceof MayflyError);
    assert.equal(e.code, "CREDENTIALS_EXPIRED");
    assert.equal(e.reauthCommand, "mayfly auth refresh");
    assert.ok(e.expiredAt);
    return true;
  });
});

test("no session in the cache is CREDENTIALS_MISSING with mayfly auth login", async () => {
  const home = mkdtempSync(join(tmpdir(), "mayfly-ts-empty-"));
  const p = TokenProvider.fromEnv({}, { MAYFLY_URL: "http://127.0.0.1:1", MAYFLY_HOME: home });
  await assert.rejects(p.token(), (e) => e.code === "CREDENTIALS_MISSING" && e.reauthCommand === "mayfly auth login");
  await p.close();
});

async function waitFor(cond, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Verifier against real broker tokens (EdDSA and RS256 brokers), with the Java verifier's rejection codes,
// and the revocation feed against the real stream.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TokenProvider, Verifier, RevocationFeed, ManualClock } from "../dist/index.js";
import { Admin, broker, startBroker } from "./support/broker.mjs";

async function session(admin, scopes = ["orders:read"]) {
  const agent = await admin.agent({ scopes });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  return { agent, p };
}

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");

test("a real task token verifies; audience, scope, signature, alg and expiry are checked in the Java verifier's order", async (t) => {
  const admin = await broker(t);
  const { p } = await session(admin, ["orders:read"]);
  t.after(() => p.close());
  const task = await p.task({ audience: "https://orders.example", scope: "orders:read", taskId: "t-verify" });
  const clock = new ManualClock(Date.now());
  const v = new Verifier({ issuer: admin.url, audience: "https://orders.example", clock });
  const ok = await v.verify(task.reveal(), ["orders:read"]);
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  assert.equal(ok.claims.task, "t-verify");
  assert.deepEqual(ok.claims.scopes, ["orders:read"]);

  const denied = await v.verify(task.reveal(), ["orders:write"]);
  assert.equal(denied.error.code, "PERMISSION_DENIED");
  assert.equal(denied.error.requiredScope, "orders:write");
  assert.deepEqual(denied.error.missingScopes, ["orders:write"]);

  const other = new Verifier({ issuer: admin.url, audience: "https://billing.example", clock });
  const wrongAud = await other.verify(task.reveal());
  assert.equal(wrongAud.error.code, "CREDENTIALS_INVALID");
  assert.equal(wrongAud.error.reauthCommand, "mayfly token issue --scope orders:read --audience https://billing.example");

  const [h, pl, s] = task.reveal().split(".");
  const flipped = s[5] === "A" ? "B" : "A";
  const forged = `${h}.${pl}.${s.slice(0, 5)}${flipped}${s.slice(6)}`;
  assert.equal((await v.verify(forged)).error.details.reason, "BAD_SIGNATURE");
  const none = `${b64({ alg: "none", typ: "at+jwt", kid: "x" })}.${pl}.${s}`;
  assert.equal((await v.verify(none)).error.details.reason, "ALGORITHM_NOT_ALLOWED");
  const jku = `${b64({ ...JSON.parse(Buffer.from(h, "base64url")), jku: "https://evil.example/jwks" })}.${pl}.${s}`;
  assert.equal((await v.verify(jku)).error.details.reason, "FORBIDDEN_HEADER");
  assert.equal((await v.verify("not-a-jwt")).error.code, "CREDENTIALS_INVALID");
  assert.equal((await v.verify("")).error.code, "CREDENTIALS_MISSING");
  assert.equal((await v.verify("a".repeat(9000))).error.details.reason, "OVERSIZED");

  // Expiry only after the signature verified: the authentic token is EXPIRED, the forged one INVALID.
  clock.set(task.expiresAt + 31_000);
  const expired = await v.verify(task.reveal());
  assert.equal(expired.error.code, "CREDENTIALS_EXPIRED");
  assert.equal(expired.error.reauthCommand, "mayfly auth refresh");
  assert.ok(expired.error.expiredAt);
  assert.equal((await v.verify(forged)).error.code, "CREDENTIALS_INVALID");
  assert.ok(!JSON.stringify(expired.error.toJSON()).includes(task.reveal()), "the error never quotes the token");
});

test("an unknown kid re-fetches the JWKS at most once per interval", async (t) => {
  const admin = await broker(t);
  const { p } = await session(admin);
  t.after(() => p.close());
  const token = await p.token();
  const v = new Verifier({ issuer: admin.url, anyAudience: true });
  assert.equal((await v.verify(token)).ok, true);
  const [, pl, s] = token.split(".");
  const unknown = `${b64({ alg: "EdDSA", typ: "at+jwt", kid: "no-such-key" })}.${pl}.${s}`;
  assert.equal(v.jwksFetches, 1);
  for (let i = 0; i < 20; i++) assert.equal((await v.verify(unknown)).error.details.reason, "UNKNOWN_KEY");
  assert.equal(v.jwksFetches, 1, "a fetch just happened: made-up kids do not trigger another within the interval");
  assert.equal((await v.verify(token)).ok, true, "the cached keys still serve");
});

test("RS256 brokers are verified too", async (t) => {
  const b = await startBroker(["--signing-alg", "RS256"]);
  t.after(() => b.stop());
  const admin = new Admin(b.url, b.home);
  const { p } = await session(admin);
  t.after(() => p.close());
  const token = await p.token();
  assert.equal(JSON.parse(Buffer.from(token.split(".")[0], "base64url")).alg, "RS256");
  const v = new Verifier({ issuer: b.url, audience: b.url });
  const d = await v.verify(token);
  assert.equal(d.ok, true, JSON.stringify(d.error));
  const eddsaOnly = new Verifier({ issuer: b.url, audience: b.url, algorithms: ["EdDSA"] });
  assert.equal((await eddsaOnly.verify(token)).error.details.reason, "ALGORITHM_NOT_ALLOWED");
});

test("the revocation feed: a revoked task is refused within the stream's latency, and a reconnect resumes", async (t) => {
  const admin = await broker(t);
  const { agent, p } = await session(admin);
  t.after(() => p.close());
  const feed = new RevocationFeed({ broker: admin.url, token: () => admin.adminToken() }).start();
  t.after(() => feed.close());
  const v = new Verifier({ issuer: admin.url, audience: "https://orders.example", revocations: feed });
  const task = await p.task({ audience: "https://orders.example", scope: "orders:read", taskId: "t-revoke-1" });
  await waitFor(() => feed.status().state === "LIVE");
  assert.equal((await v.verify(task.reveal())).ok, true);

  const r = await admin.v1("POST", "/v1/revocations", { task_id: "t-revoke-1", agent_id: agent.agentId, reason: "test" });
  assert.ok(await feed.awaitSequence(r.seq, 5000), "applied");
  const d = await v.verify(task.reveal());
  assert.equal(d.error.code, "CREDENTIALS_REVOKED");
  assert.equal(d.error.reauthCommand, null, "a revoked task cannot be recovered by the agent");

  // Disconnected while a revocation happens: the reconnect resumes from the last sequence, missing nothing.
  const second = await p.task({ audience: "https://orders.example", scope: "orders:read", taskId: "t-revoke-2" });
  const reconnects = feed.status().reconnects;
  feed.disconnect();
  const r2 = await admin.v1("POST", "/v1/revocations", { task_id: "t-revoke-2", agent_id: agent.agentId });
  assert.ok(await feed.awaitSequence(r2.seq, 10_000), "resumed");
  assert.ok(feed.status().reconnects > reconnects);
  assert.equal((await v.verify(second.reveal())).error.code, "CREDENTIALS_REVOKED");
});

test("fail closed: a verifier whose feed never connected answers UNAVAILABLE, retryable", async () => {
  const feed = new RevocationFeed({ broker: "http://127.0.0.1:1", token: () => "x", backoff: { baseMs: 10, capMs: 50 } }).start();
  try {
    const v = new Verifier({ issuer: "http://127.0.0.1:1", anyAudience: true, revocations: feed });
    assert.equal(feed.status().state, "CONNECTING");
    // The JWKS is unreachable too: a typed UNAVAILABLE, never a hang.
    const d = await v.verify(`${b64({ alg: "EdDSA", typ: "at+jwt", kid: "k" })}.${b64({})}.AAAA`);
    assert.equal(d.error.code, "UNAVAILABLE");
    assert.equal(d.error.retryable, true);
  } finally {
    feed.close();
  }
});

async function waitFor(cond, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}

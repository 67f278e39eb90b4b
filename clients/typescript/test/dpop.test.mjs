// DPoP (RFC 9449) against real brokers: the shared one (binding on request) and one whose policy demands
// binding for batch agents and server nonces at the token endpoint. Login, bound refresh, bound task tokens,
// /v1/whoami with Authorization: DPoP and a fresh proof, the nonce round trip, and every refusal as its error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenProvider, DpopKey, mayflyFetch, classify, AuthFailureError, MayflyError } from "../dist/index.js";
import { readUnverified } from "../dist/jwt.js";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { Admin, broker, JAR, startBroker } from "./support/broker.mjs";

/** A fetch that records what went to /oauth/token: whether a proof was sent, its nonce, the status. */
function recordingFetch() {
  const calls = [];
  const f = async (url, init) => {
    const r = await fetch(url, init);
    if (String(url).endsWith("/oauth/token")) {
      const proof = new Headers(init.headers).get("DPoP");
      calls.push({ proof: proof !== null, nonce: proof ? readUnverified(proof).claims.nonce ?? null : null, status: r.status });
    }
    return r;
  };
  return { f, calls };
}

/** A broker whose policy demands DPoP for batch agents and a server nonce in every token-endpoint proof. */
let policyBroker = null;
async function dpopPolicyBroker(t) {
  if (policyBroker === null) {
    const dir = mkdtempSync(join(tmpdir(), "mayfly-ts-dpop-policy-"));
    const policy = join(dir, "policy.toml");
    writeFileSync(policy, '[dpop]\nrequired_kinds = ["batch"]\nnonce = true\n');
    policyBroker = startBroker(["--policy", policy]);
  }
  const b = await policyBroker;
  return new Admin(b.url, b.home);
}
test.after(async () => {
  if (policyBroker !== null) await (await policyBroker).stop();
});

test("DPoP login: token_type DPoP bound to the key; bound refresh; bound task token; /v1/whoami with a proof", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const key = DpopKey.generate();
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, dpop: key });
  t.after(() => p.close());
  const session = await p.sessionToken();
  assert.equal(session.tokenType, "DPoP");
  assert.ok(session.authorization().startsWith("DPoP "));
  assert.equal(readUnverified(session.reveal()).claims.cnf.jkt, key.thumbprint);

  const http = mayflyFetch(p);
  const me = await (await http(`${admin.url}/v1/whoami?x=1#frag`)).json();
  assert.equal(me.ok, true, JSON.stringify(me.error));
  assert.equal(me.data.agent_id, agent.agentId);

  // A server said the token expired: the refresh goes with a proof of the same key, and stays bound.
  const refreshed = await p.refresh(session);
  assert.notEqual(refreshed.reveal(), session.reveal());
  assert.equal(readUnverified(refreshed.reveal()).claims.cnf.jkt, key.thumbprint);
  assert.equal((await (await http(`${admin.url}/v1/whoami`)).json()).ok, true);

  const task = await p.task({ scope: "orders:read", taskId: "dpop-1" });
  assert.equal(task.tokenType, "DPoP");
  assert.equal(readUnverified(task.reveal()).claims.cnf.jkt, key.thumbprint, "the exchanged task token is bound too");
});

test("a bound token is refused as Bearer (no downgrade), and without its key it is not sent at all", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, dpop: DpopKey.generate("ES256") });
  t.after(() => p.close());
  const bound = await p.token();
  const asBearer = await fetch(`${admin.url}/v1/whoami`, { headers: { Authorization: `Bearer ${bound}` } });
  const challenge = asBearer.headers.get("www-authenticate");
  assert.equal(asBearer.status, 401);
  assert.match(challenge, /^DPoP /);
  const failure = classify({ status: 401, headers: asBearer.headers, body: await asBearer.text(), sent: { jwt: bound } });
  assert.equal(failure.kind, "INVALID");
  assert.equal(failure.code, "CREDENTIALS_INVALID");
  assert.equal(failure.retryable, false);

  // A copy of the token (MAYFLY_TOKEN) without the key: mayflyFetch refuses to present it.
  const copy = new TokenProvider({ broker: admin.url, token: bound });
  await assert.rejects(mayflyFetch(copy)(`${admin.url}/v1/whoami`), (e) => e instanceof MayflyError && e.code === "PRECONDITION"
    && /DPoP key/.test(e.message) && !e.message.includes(bound));

  // The proof of another key is refused by the broker; the classifier and mayflyFetch say CREDENTIALS_INVALID.
  const thief = new TokenProvider({ broker: admin.url, token: bound, dpop: DpopKey.generate() });
  await assert.rejects(mayflyFetch(thief)(`${admin.url}/v1/whoami`), (e) => e instanceof AuthFailureError
    && e.code === "CREDENTIALS_INVALID" && /another key/.test(e.message) && !e.message.includes(bound));
});

test("policy demands DPoP: a login without a key is refused naming the rule, with reauth_command", async (t) => {
  const admin = await dpopPolicyBroker(t);
  const agent = await admin.agent({ kind: "batch" });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  await assert.rejects(p.token(), (e) => {
    assert.ok(e instanceof AuthFailureError, String(e));
    assert.equal(e.code, "CREDENTIALS_INVALID");
    assert.equal(e.failure.reauthCommand, "mayfly auth login --dpop");
    assert.match(e.message, /required_kinds/);
    return true;
  });
});

test("nonce round trip: use_dpop_nonce answered once with the nonce, which later grants carry from the start", async (t) => {
  const admin = await dpopPolicyBroker(t);
  const agent = await admin.agent({ kind: "batch" });
  const { f, calls } = recordingFetch();
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, dpop: DpopKey.generate(), fetch: f });
  t.after(() => p.close());
  const session = await p.sessionToken();
  assert.equal(session.tokenType, "DPoP");
  assert.equal(calls.length, 2);
  assert.deepEqual(calls.map((c) => [c.proof, c.nonce === null, c.status]), [[true, true, 400], [true, false, 200]]);
  await p.task({ scope: "orders:read", taskId: "nonce-1" });
  await p.refresh(session);
  assert.equal(calls.length, 4, "the exchange and the refresh each went once, with the remembered nonce");
  assert.ok(calls.slice(2).every((c) => c.nonce === calls[1].nonce && c.status === 200));
  const me = await (await mayflyFetch(p)(`${admin.url}/v1/whoami`)).json();
  assert.equal(me.data.agent_id, agent.agentId);
});

test("the CLI's cached session from `mayfly auth login --dpop` is used with its own key (dpop_key)", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent();
  const home = mkdtempSync(join(tmpdir(), "mayfly-ts-cli-dpop-"));
  const env = { ...process.env, MAYFLY_URL: admin.url, MAYFLY_HOME: home, MAYFLY_CLIENT_ID: agent.clientId, MAYFLY_CLIENT_SECRET: agent.clientSecret };
  const { stdout } = await promisify(execFile)("java", ["-jar", JAR, "auth", "login", "--dpop", "--json"], { env, timeout: 60_000 });
  const jkt = JSON.parse(stdout).data.dpop_jkt;
  assert.ok(jkt);
  const p = TokenProvider.fromEnv({}, { MAYFLY_URL: admin.url, MAYFLY_HOME: home });
  t.after(() => p.close());
  assert.equal((await p.sessionToken()).tokenType, "DPoP");
  assert.equal(p.dpopKey.thumbprint, jkt, "the key the CLI generated, read from its cache");
  const d = JSON.parse(JSON.parse(readFileSync(join(home, "credentials.json"), "utf8")).sessions[admin.url].dpop_key).d;
  assert.ok(!String(p.dpopKey).includes(d) && !JSON.stringify(p.dpopKey).includes(d), "the private key is never shown");
  const me = await (await mayflyFetch(p)(`${admin.url}/v1/whoami`)).json();
  assert.equal(me.data.agent_id, agent.agentId);
  const task = await p.task({ scope: "orders:read" });
  assert.equal(readUnverified(task.reveal()).claims.cnf.jkt, jkt, "the exchange proved the session's key");
});

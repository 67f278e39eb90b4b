// Logging in without a client secret (RFC 7523 §2.2) against the real broker: a key-bound agent signs its own
// private_key_jwt (Ed25519 JWK, EC P-256 PEM), and federated agents log in with a workload token of a loopback
// OIDC issuer stand-in (discovery + JWKS): from a file, from GitHub Actions' token service, from the Kubernetes
// path. Every refusal surfaces as its catalog error; no assertion appears in any message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TokenProvider, ClientAssertions, DpopKey, mayflyFetch, AuthFailureError, MayflyError } from "../dist/index.js";
import { readUnverified } from "../dist/jwt.js";
import { broker } from "./support/broker.mjs";
import { oidcIssuer } from "./support/oidcIssuer.mjs";

const dir = mkdtempSync(join(tmpdir(), "mayfly-ts-assertions-"));

async function createAgent(admin, body) {
  const unique = `ts-assert-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return admin.v1("POST", "/v1/agents", { name: unique, kind: "llm", scopes: ["orders:read"], audiences: ["https://orders.example"], ...body });
}

async function whoami(admin, p) {
  return (await (await mayflyFetch(p)(`${admin.url}/v1/whoami`)).json()).data;
}

test("key-bound agent (Ed25519 JWK): no secret, a fresh private_key_jwt per login; DPoP on top", async (t) => {
  const admin = await broker(t);
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const agent = await createAgent(admin, { public_key: { ...publicKey.export({ format: "jwk" }), kid: "ts-ed" } });
  assert.equal(agent.client_secret, null, "an agent with a public key has no secret");
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "ts-ed" };
  const assertion = ClientAssertions.privateKeyJwt(agent.client_id, jwk, admin.url);
  const p = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: assertion });
  t.after(() => p.close());
  assert.equal((await whoami(admin, p)).agent_id, agent.agent_id);
  const a = readUnverified(await assertion());
  assert.deepEqual([a.header.alg, a.header.kid, a.claims.iss, a.claims.sub, a.claims.aud, a.claims.exp - a.claims.iat],
    ["EdDSA", "ts-ed", agent.client_id, agent.client_id, admin.url, 60]);
  assert.notEqual(readUnverified(await assertion()).claims.jti, a.claims.jti, "a fresh jti each time");
  // The session refreshes with its refresh token, not a new assertion.
  const before = await p.sessionToken();
  assert.notEqual((await p.refresh(before)).reveal(), before.reveal());

  const bound = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: assertion, dpop: DpopKey.generate() });
  t.after(() => bound.close());
  assert.equal((await bound.sessionToken()).tokenType, "DPoP");
  assert.equal((await whoami(admin, bound)).agent_id, agent.agent_id);
});

test("key-bound agent (EC P-256 PEM); the wrong key is CREDENTIALS_INVALID; an unusable key is USAGE at once", async (t) => {
  const admin = await broker(t);
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const agent = await createAgent(admin, { public_key: publicKey.export({ format: "pem", type: "spki" }) });
  const pem = privateKey.export({ format: "pem", type: "pkcs8" });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.privateKeyJwt(agent.client_id, pem, admin.url) });
  t.after(() => p.close());
  assert.equal((await whoami(admin, p)).agent_id, agent.agent_id);
  assert.equal(readUnverified(await ClientAssertions.privateKeyJwt(agent.client_id, pem, admin.url)()).header.alg, "ES256");

  const other = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ format: "pem", type: "pkcs8" });
  const wrong = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.privateKeyJwt(agent.client_id, other, admin.url) });
  t.after(() => wrong.close());
  await assert.rejects(wrong.token(), (e) => e instanceof AuthFailureError && e.code === "CREDENTIALS_INVALID" && !e.message.includes("eyJ"));

  const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ format: "pem", type: "pkcs8" });
  assert.throws(() => ClientAssertions.privateKeyJwt("cid", weak, admin.url), (e) => e.code === "USAGE" && /2048/.test(e.message));
  assert.throws(() => ClientAssertions.privateKeyJwt("cid", "not a key", admin.url), (e) => e.code === "USAGE");
  assert.throws(() => ClientAssertions.privateKeyJwt("cid", { kty: "OKP", crv: "Ed25519", x: "AAAA" }, admin.url), (e) => e.code === "USAGE" && /no private key/.test(e.message));
});

test("federated: a workload token from a file logs in once; a replay, a claim rule and an unreachable issuer are refused", async (t) => {
  const admin = await broker(t);
  const issuer = await oidcIssuer();
  t.after(() => issuer.close());
  const agent = await createAgent(admin, { federated: { issuer: issuer.url, claims: { "kubernetes.io/namespace": "agents" } } });
  assert.equal(agent.client_secret, null);
  const file = join(dir, "sa-token");
  const token = await issuer.token({ aud: admin.url, "kubernetes.io/namespace": "agents" });
  writeFileSync(file, token + "\n");
  const p = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.fromFile(file) });
  t.after(() => p.close());
  assert.equal((await whoami(admin, p)).agent_id, agent.agent_id);

  const replay = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.kubernetes(file) });
  t.after(() => replay.close());
  await assert.rejects(replay.token(), (e) => e instanceof AuthFailureError && e.code === "CREDENTIALS_INVALID"
    && /replay/i.test(e.message) && !e.message.includes(token));

  writeFileSync(file, await issuer.token({ aud: admin.url, "kubernetes.io/namespace": "default" }));
  const rule = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.fromFile(file) });
  t.after(() => rule.close());
  await assert.rejects(rule.token(), (e) => e.code === "CREDENTIALS_INVALID" && /claim rule/.test(e.message));

  // No token at all where the platform would put it: PRECONDITION naming the places looked at.
  assert.throws(() => ClientAssertions.federated(admin.url, { env: {}, kubernetesPath: join(dir, "absent") }),
    (e) => e instanceof MayflyError && e.code === "PRECONDITION" && /MAYFLY_ASSERTION_FILE/.test(e.message));
  const empty = join(dir, "empty");
  writeFileSync(empty, "");
  const none = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.fromFile(empty) });
  t.after(() => none.close());
  await assert.rejects(none.token(), (e) => e.code === "PRECONDITION" && /empty/.test(e.message));

  // The issuer's keys cannot be fetched: UNAVAILABLE (retryable), never CREDENTIALS_INVALID.
  const gone = await oidcIssuer();
  t.after(() => gone.close());
  const orphan = await createAgent(admin, { federated: { issuer: gone.url, claims: { sub: "system:serviceaccount:agents:summariser" } } });
  writeFileSync(file, await gone.token({ aud: admin.url }));
  await gone.close();
  const down = new TokenProvider({ broker: admin.url, clientId: orphan.client_id, clientAssertion: ClientAssertions.fromFile(file), acquireTimeoutMs: 0 });
  t.after(() => down.close());
  await assert.rejects(down.token(), (e) => e.code === "UNAVAILABLE" && e.retryable === true);
});

test("federated in GitHub Actions: the token service is asked for the broker's audience; MAYFLY_ASSERTION_FILE first", async (t) => {
  const admin = await broker(t);
  const issuer = await oidcIssuer();
  t.after(() => issuer.close());
  const agent = await createAgent(admin, { federated: { issuer: issuer.url, claims: { repository: "acme/shop", ref: "refs/heads/main" } } });
  const env = { ACTIONS_ID_TOKEN_REQUEST_URL: issuer.serveActionsTokens("acme/shop", "refs/heads/main", "gha-request-token"),
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: "gha-request-token", MAYFLY_CLIENT_ID: agent.client_id, MAYFLY_URL: admin.url };
  const p = TokenProvider.fromEnv({ clientAssertion: ClientAssertions.federated(admin.url, { env }), dpop: DpopKey.generate() }, env);
  t.after(() => p.close());
  assert.equal((await whoami(admin, p)).agent_id, agent.agent_id);
  assert.equal((await p.sessionToken()).tokenType, "DPoP", "a federated session bound to a DPoP key");

  // A pull-request run of the same repository does not match ref=refs/heads/main.
  issuer.serveActionsTokens("acme/shop", "refs/pull/9/merge", "gha-request-token");
  const pr = new TokenProvider({ broker: admin.url, clientId: agent.client_id, clientAssertion: ClientAssertions.githubActions(admin.url, { env }) });
  t.after(() => pr.close());
  await assert.rejects(pr.token(), (e) => e.code === "CREDENTIALS_INVALID" && /claim rule ref/.test(e.message));

  const badRequestToken = ClientAssertions.githubActions(admin.url, { env: { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" } });
  await assert.rejects(Promise.resolve().then(badRequestToken), (e) => e.code === "PRECONDITION" && /id-token: write/.test(e.message));
  assert.throws(() => ClientAssertions.githubActions(admin.url, { env: {} }), (e) => e.code === "PRECONDITION");

  const file = join(dir, "preferred");
  writeFileSync(file, await issuer.token({ aud: admin.url, repository: "acme/shop", ref: "refs/heads/main" }));
  const fromFile = new TokenProvider({ broker: admin.url, clientId: agent.client_id,
    clientAssertion: ClientAssertions.federated(admin.url, { env: { ...env, MAYFLY_ASSERTION_FILE: file } }) });
  t.after(() => fromFile.close());
  assert.equal((await whoami(admin, fromFile)).agent_id, agent.agent_id);
});

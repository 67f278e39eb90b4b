// The Verifier and mcpAuth with real DPoP-bound broker tokens: accepted only with a valid proof for this method
// and URL; refused as Bearer; every refusal answered with WWW-Authenticate: DPoP in the Java verifier's words.
// mayflyFetch against a resource that demands nonces: one retry, the nonce then remembered.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { TokenProvider, DpopKey, Verifier, ManualClock, failureResponse, mayflyFetch, mcpAuth, readJsonBody, AuthFailureError } from "../dist/index.js";
import { broker, freePort } from "./support/broker.mjs";

const RESOURCE = "https://orders.example";

async function boundTask(t, admin, key = DpopKey.generate()) {
  const agent = await admin.agent({ scopes: ["orders:read", "orders:write"], audiences: [RESOURCE] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, dpop: key });
  t.after(() => p.close());
  return { p, key, task: (await p.task({ audience: RESOURCE, scope: "orders:read" })).reveal() };
}

function dpopRequest(token, proof, url = `${RESOURCE}/orders`, method = "GET") {
  return { authorization: `DPoP ${token}`, dpop: proof, method, url };
}

test("a bound token with a proof for this request is accepted; every refusal names its check", async (t) => {
  const admin = await broker(t);
  const { p, key, task } = await boundTask(t, admin);
  const clock = new ManualClock(Date.now());
  const v = new Verifier({ issuer: admin.url, audience: RESOURCE, clock });
  const proof = (o = {}) => key.proof({ method: "GET", url: `${RESOURCE}/orders`, accessToken: task, now: clock.now(), ...o });

  const ok = await v.verifyRequest(dpopRequest(task, await proof({ url: `${RESOURCE}/orders?page=2` }), `${RESOURCE}/orders?page=3`), ["orders:read"]);
  assert.ok(ok.ok, ok.ok ? "" : ok.error.message);
  assert.equal(ok.claims.jkt, key.thumbprint);

  const refusals = [
    ["missing proof", dpopRequest(task, undefined), "A DPoP proof is required", "invalid_dpop_proof"],
    ["two proofs", dpopRequest(task, [await proof(), await proof()]), "Exactly one DPoP header", "invalid_dpop_proof"],
    ["wrong method", dpopRequest(task, await proof({ method: "POST" })), "htm does not match", "invalid_dpop_proof"],
    ["wrong URL", dpopRequest(task, await proof({ url: `${RESOURCE}/admin` })), "htu does not match", "invalid_dpop_proof"],
    ["ath of another token", dpopRequest(task, await proof({ accessToken: "another.token.value" })), "ath does not match", "invalid_dpop_proof"],
    ["no ath", dpopRequest(task, await key.proof({ method: "GET", url: `${RESOURCE}/orders`, now: clock.now() })), "lacks ath", "invalid_dpop_proof"],
    ["stale iat", dpopRequest(task, await proof({ now: clock.now() - 120_000 })), "iat is outside", "invalid_dpop_proof"],
    ["another key", dpopRequest(task, await DpopKey.generate().proof({ method: "GET", url: `${RESOURCE}/orders`, accessToken: task, now: clock.now() })),
      "signed by another key", "invalid_token"],
    ["as Bearer", { authorization: `Bearer ${task}`, method: "GET", url: `${RESOURCE}/orders` }, "Bound to a DPoP key", "invalid_token"],
  ];
  for (const [what, request, message, rfcError] of refusals) {
    const d = await v.verifyRequest(request, ["orders:read"]);
    assert.ok(!d.ok, `${what}: accepted`);
    assert.equal(d.error.code, "CREDENTIALS_INVALID", what);
    assert.ok(d.error.message.includes(message), `${what}: ${d.error.message}`);
    const r = failureResponse(d.error);
    assert.equal(r.status, 401);
    assert.equal(r.headers["WWW-Authenticate"], `DPoP realm="mayfly", error="${rfcError}", error_description="${d.error.message}", algs="EdDSA ES256 RS256 PS256"`);
    const body = JSON.parse(r.body).error;
    assert.deepEqual([body.auth_scheme, body.dpop_error], ["DPoP", rfcError]);
    assert.ok(!r.body.includes(task) && !r.headers["WWW-Authenticate"].includes(task), "the token is never echoed");
  }
  // Also plain verify() (Bearer) refuses the bound token: no downgrade.
  const bearer = await v.verify(task);
  assert.equal(!bearer.ok && bearer.error.details.dpop_error, "invalid_token");

  // A replayed proof: accepted once, refused after.
  const once = await proof();
  assert.ok((await v.verifyRequest(dpopRequest(task, once))).ok);
  const again = await v.verifyRequest(dpopRequest(task, once));
  assert.ok(!again.ok && /already used/.test(again.error.message));

  // An unbound token presented as DPoP is refused too.
  const agent = await admin.agent({ audiences: [RESOURCE] });
  const plain = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => plain.close());
  const unbound = (await plain.task({ audience: RESOURCE })).reveal();
  const notBound = await v.verifyRequest(dpopRequest(unbound, await key.proof({ method: "GET", url: `${RESOURCE}/orders`, accessToken: unbound, now: clock.now() })));
  assert.ok(!notBound.ok && /Not DPoP-bound/.test(notBound.error.message));

  // A scope the token lacks: PERMISSION_DENIED, challenged with DPoP and the scope.
  const denied = await v.verifyRequest(dpopRequest(task, await proof()), ["orders:delete"]);
  assert.equal(!denied.ok && denied.error.code, "PERMISSION_DENIED");
  assert.equal(failureResponse(denied.error).headers["WWW-Authenticate"],
    'DPoP realm="mayfly", error="insufficient_scope", error_description="insufficient scope", scope="orders:delete", algs="EdDSA ES256 RS256 PS256"');

  // Expired, with a valid proof: CREDENTIALS_EXPIRED under the DPoP challenge.
  const exp = JSON.parse(Buffer.from(task.split(".")[1], "base64url")).exp * 1000;
  clock.set(exp + 31_000);
  const expired = await v.verifyRequest(dpopRequest(task, await proof()));
  assert.equal(!expired.ok && expired.error.code, "CREDENTIALS_EXPIRED");
  assert.match(failureResponse(expired.error).headers["WWW-Authenticate"], /^DPoP realm="mayfly", error="invalid_token", error_description="token expired"/);
  void p;
});

test("a verifier demanding nonces answers use_dpop_nonce with DPoP-Nonce", async (t) => {
  const admin = await broker(t);
  const { key, task } = await boundTask(t, admin);
  const v = new Verifier({ issuer: admin.url, audience: RESOURCE, dpop: { nonces: { current: () => "n-42", accepts: (n) => n === "n-42" } } });
  const d = await v.verifyRequest(dpopRequest(task, await key.proof({ method: "GET", url: `${RESOURCE}/orders`, accessToken: task, now: Date.now() })));
  assert.ok(!d.ok);
  const r = failureResponse(d.error);
  assert.equal(r.headers["DPoP-Nonce"], "n-42");
  assert.match(r.headers["WWW-Authenticate"], /error="use_dpop_nonce"/);
  const withNonce = await v.verifyRequest(dpopRequest(task, await key.proof({ method: "GET", url: `${RESOURCE}/orders`, accessToken: task, nonce: "n-42", now: Date.now() })));
  assert.ok(withNonce.ok);
});

test("mcpAuth + mayflyFetch: DPoP to an MCP server that demands nonces; one retry, then the nonce is remembered", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  let nonce = "first";
  const guard = mcpAuth({
    verifier: new Verifier({ issuer: admin.url, audience: resource, dpop: { nonces: { current: () => nonce, accepts: (n) => n === nonce } } }),
    resource,
    toolScopes: { cancel_order: ["orders:write"] },
  });
  const seen = [];
  const server = createServer(async (req, res) => {
    if (guard.serveMetadata(req, res)) return;
    const body = req.method === "POST" ? await readJsonBody(req) : undefined;
    const auth = await guard.authorize(req, res, body);
    seen.push({ status: auth ? 200 : res.statusCode, scheme: String(req.headers.authorization).split(" ")[0] });
    if (!auth) return;
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ jkt: auth.extra.jkt, task: auth.extra.task }));
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  t.after(() => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }));

  const key = DpopKey.generate("ES256");
  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [resource] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret, dpop: key });
  t.after(() => p.close());
  const http = mayflyFetch(p, { taskFor: () => ({ audience: resource, scope: "orders:read" }) });
  const meta = await (await fetch(guard.metadataUrl)).json();
  assert.deepEqual(meta.dpop_signing_alg_values_supported, ["EdDSA", "ES256", "RS256", "PS256"]);

  const first = await http(`${resource}?session=1`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
  assert.equal(first.status, 200);
  assert.equal((await first.json()).jkt, key.thumbprint);
  assert.deepEqual(seen.map((s) => [s.status, s.scheme]), [[401, "DPoP"], [200, "DPoP"]], "refused for want of the nonce, then accepted");
  await http(resource, { method: "POST", body: "{}" });
  assert.equal(seen.length, 3, "the remembered nonce goes along from the start");

  // The nonce rotates while a stream body is sent: not replayable, so the caller gets the error (retryable).
  nonce = "second";
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("{}")); c.close(); } });
  await assert.rejects(http(resource, { method: "POST", body: stream, duplex: "half" }), (e) => e instanceof AuthFailureError
    && e.failure.recovery === "RETRY_WITH_NONCE" && e.failure.retryable === true && e.failure.dpopNonce === "second");
  assert.equal((await http(resource, { method: "POST", body: "{}" })).status, 200, "the caller's resend carries the new nonce");

  // A bound token sent as Bearer to the MCP server: 401 with the DPoP challenge and resource_metadata.
  const bearer = await fetch(resource, { method: "POST", headers: { Authorization: `Bearer ${(await p.task({ audience: resource, scope: "orders:read" })).reveal()}` }, body: "{}" });
  assert.equal(bearer.status, 401);
  assert.match(bearer.headers.get("www-authenticate"), /^DPoP realm="mayfly", resource_metadata="[^"]+", error="invalid_token"/);
});

// mcpAuth on Express (after express.json()), with a real broker's tokens: metadata, 401 with
// resource_metadata for expired/invalid tokens, 403 insufficient_scope per tool in a JSON-RPC batch.
import { test } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { TokenProvider, Verifier, mcpAuth, ManualClock } from "../dist/index.js";
import { broker, freePort } from "./support/broker.mjs";

test("Express: metadata, 401 challenges, 403 step-up for a tool in a batch, req.auth for handlers", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  const clock = new ManualClock(Date.now());
  const guard = mcpAuth({ verifier: new Verifier({ issuer: admin.url, audience: resource, clock }), resource, scopes: ["orders:read"], toolScopes: { cancel_order: ["orders:write"] } });
  const app = express();
  app.get(guard.metadataPaths, guard.metadataHandler());
  app.use(express.json());
  app.post("/mcp", guard.express(), (req, res) => res.json({ task: req.auth.extra.task, scopes: req.auth.scopes }));
  const server = await new Promise((r) => { const s = app.listen(port, "127.0.0.1", () => r(s)); });
  t.after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));

  const meta = await (await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`)).json();
  assert.equal(meta.resource, resource);

  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [resource] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const task = await p.task({ audience: resource, scope: "orders:read", taskId: "express-1" });
  const post = (body, token = task) => fetch(resource, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: token.authorization() } : {}) },
    body: JSON.stringify(body),
  });
  const call = (name, id) => ({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: {} } });

  const ok = await post(call("list_orders", 1));
  assert.equal(ok.status, 200);
  assert.deepEqual(await ok.json(), { task: "express-1", scopes: ["orders:read"] });

  const batch = await post([call("list_orders", 1), call("cancel_order", 2)]);
  assert.equal(batch.status, 403);
  const challenge = batch.headers.get("www-authenticate");
  assert.match(challenge, /error="insufficient_scope"/);
  assert.match(challenge, /scope="orders:read orders:write"/);
  assert.match(challenge, /resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/);
  assert.deepEqual((await batch.json()).error.missing_scopes, ["orders:write"]);

  const none = await post(call("list_orders", 1), null);
  assert.equal(none.status, 401);
  assert.doesNotMatch(none.headers.get("www-authenticate"), /error=/, "no credential: no error attribute (RFC 6750 §3.1)");

  clock.set(task.expiresAt + 31_000);
  const expired = await post(call("list_orders", 1));
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get("www-authenticate"), /error="invalid_token", error_description="token expired"/);
  assert.equal((await expired.json()).error.code, "CREDENTIALS_EXPIRED");
});

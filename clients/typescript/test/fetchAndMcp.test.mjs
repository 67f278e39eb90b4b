// mayflyFetch against a real resource server (Node http + Verifier) and a protected MCP server built on
// @modelcontextprotocol/sdk (streamable HTTP) called by the SDK's client through mayflyFetch.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { z } from "zod";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import {
  TokenProvider, Verifier, mayflyFetch, mcpAuth, readJsonBody, failureResponse,
  AuthFailureError, PermissionDeniedError,
} from "../dist/index.js";
import { Rejection } from "../dist/verifier/reason.js";
import { broker, freePort } from "./support/broker.mjs";

/**
 * A resource server: verifies with the real Verifier; can be told to answer "expired" for given tokens, as
 * Mayfly does (the envelope with `expired_at`, now unless `expiredAt` says otherwise) or as a bare RFC 6750
 * challenge that does not say when.
 */
async function resourceServer(issuer, port, { expiredTokens = new Set(), bareExpiredTokens = new Set(), expiredAt = () => new Date().toISOString() } = {}) {
  const origin = `http://127.0.0.1:${port}`;
  const verifier = new Verifier({ issuer, audience: origin });
  const seen = [];
  const server = createServer(async (req, res) => {
    const auth = req.headers.authorization ?? "";
    const body = await readJsonBody(req).catch(() => undefined);
    seen.push({ auth, body, url: req.url });
    if (req.url === "/missing") return res.writeHead(404, { "Content-Type": "text/plain" }).end("no such thing");
    if (bareExpiredTokens.has(auth.slice(7))) {
      return res.writeHead(401, { "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expired"' }).end();
    }
    if (expiredTokens.has(auth.slice(7))) {
      const r = failureResponse(new Rejection("EXPIRED", { expiredAt: expiredAt() }));
      return res.writeHead(r.status, r.headers).end(r.body);
    }
    const scopes = req.url === "/write" ? ["orders:write"] : ["orders:read"];
    const d = await verifier.verifyAuthorization(auth, scopes);
    if (!d.ok) {
      const r = failureResponse(d.error);
      return res.writeHead(r.status, r.headers).end(r.body);
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ task: d.claims.task, aud: d.claims.aud, body }));
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  return { origin, seen, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

test("mayflyFetch: session token only to the broker; another host gets a task token for its origin", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const rs = await resourceServer(admin.url, port);
  t.after(() => rs.close());
  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [rs.origin] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const f = mayflyFetch(p);
  const me = await (await f(`${admin.url}/v1/whoami`, { headers: { Authorization: "Bearer stale" } })).json();
  assert.equal(me.data.token_kind, "session", "the broker gets the session token (the caller's header replaced)");
  const r = await f(`${rs.origin}/read`);
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).aud, [rs.origin]);
  const session = await p.token();
  assert.ok(rs.seen.every((s) => s.auth !== `Bearer ${session}`), "the session token never reached the resource server");
  const missing = await f(`${rs.origin}/missing`);
  assert.equal(missing.status, 404, "not an auth failure: the response, body intact");
  assert.equal(await missing.text(), "no such thing");
  await assert.rejects(f(`${rs.origin}/write`), (e) => {
    assert.ok(e instanceof PermissionDeniedError);
    assert.equal(e.requiredScope, "orders:write");
    return true;
  });
});

test("mayflyFetch: refresh and replay once on expiry; a stream is not replayed; never a third send", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const expired = new Set();
  const rs = await resourceServer(admin.url, port, { expiredTokens: expired });
  t.after(() => rs.close());
  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [rs.origin] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const f = mayflyFetch(p);
  const first = await p.task({ audience: rs.origin });
  expired.add(first.reveal());
  const r = await f(`${rs.origin}/read`, { method: "POST", body: JSON.stringify({ n: 1 }), headers: { "Content-Type": "application/json" } });
  assert.equal(r.status, 200);
  assert.deepEqual((await r.json()).body, { n: 1 }, "the body was replayed");
  assert.equal(rs.seen.length, 2);
  assert.ok(rs.seen[1].auth !== rs.seen[0].auth, "replayed with the renewed token");
  // A Request object carries its own body; it is sent, and replayed too.
  expired.add((await p.task({ audience: rs.origin })).reveal());
  const viaRequest = await f(new Request(`${rs.origin}/read`, { method: "POST", body: JSON.stringify({ n: 2 }), headers: { "Content-Type": "application/json" } }));
  assert.deepEqual((await viaRequest.json()).body, { n: 2 });
  assert.deepEqual(rs.seen.slice(2).map((x) => x.body), [{ n: 2 }, { n: 2 }]);

  // Expired again after the replay: typed error, two sends in all.
  expired.add((await p.task({ audience: rs.origin })).reveal());
  const renewedAgain = p.refresh; // every renewal is expired too from now on
  p.refresh = async (tok) => {
    const next = await renewedAgain.call(p, tok);
    expired.add(next.reveal());
    return next;
  };
  const before = rs.seen.length;
  await assert.rejects(f(`${rs.origin}/read`), (e) => e instanceof AuthFailureError && e.code === "CREDENTIALS_EXPIRED" && e.retryable);
  assert.equal(rs.seen.length - before, 2);
  p.refresh = renewedAgain;

  // A streamed body cannot be replayed: refreshed, then thrown (EXPIRED, retryable) for the caller to resend.
  expired.add((await p.task({ audience: rs.origin })).reveal());
  const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("{}")); c.close(); } });
  await assert.rejects(f(`${rs.origin}/read`, { method: "POST", body: stream, duplex: "half" }), (e) => e.code === "CREDENTIALS_EXPIRED");
  const fresh = await f(`${rs.origin}/read`);
  assert.equal(fresh.status, 200, "the next call uses the refreshed token");
});

test("mayflyFetch: expired again after the replay reports the expiry the first answer stated, never the fresh token's", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const stated = new Date(Math.floor(Date.now() / 1000) * 1000 - 300_000).toISOString().replace(".000Z", "Z");
  const expired = new Set();
  const bare = new Set();
  const rs = await resourceServer(admin.url, port, { expiredTokens: expired, bareExpiredTokens: bare, expiredAt: () => stated });
  t.after(() => rs.close());
  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [rs.origin] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const renew = p.refresh;
  const fresh = [];
  p.refresh = async (tok) => { // every renewal is answered with a bare "expired" challenge
    const next = await renew.call(p, tok);
    bare.add(next.reveal());
    fresh.push(next);
    return next;
  };
  const f = mayflyFetch(p);
  // The first answer says when (5 minutes ago); the replay's does not, and the fresh token's exp lies ahead.
  expired.add((await p.task({ audience: rs.origin })).reveal());
  await assert.rejects(f(`${rs.origin}/read`), (e) => {
    assert.ok(e instanceof AuthFailureError, String(e));
    assert.equal(e.failure.kind, "EXPIRED");
    assert.equal(e.failure.expiredAt, stated, "the expiry the first answer established");
    assert.equal(e.expiredAt, stated);
    return true;
  });
  // Neither answer says when and neither token's exp has come: no instant is reported at all.
  bare.add((await p.task({ audience: rs.origin })).reveal());
  await assert.rejects(f(`${rs.origin}/read`), (e) => {
    assert.equal(e.failure.kind, "EXPIRED");
    assert.equal(e.failure.expiredAt, null, `expired_at of ${JSON.stringify(e.failure)}`);
    assert.equal(e.expiredAt, null);
    const freshExpiry = new Date(fresh.at(-1).expiresAt).toISOString().replace(".000Z", "Z");
    assert.ok(!e.message.includes(freshExpiry), e.message);
    return true;
  });
  assert.equal(fresh.length, 2, "one renewal per call");
});

test("MCP: metadata, 401 with resource_metadata, 403 insufficient_scope per tool, tools see the task token", async (t) => {
  const admin = await broker(t);
  const port = await freePort();
  const resource = `http://127.0.0.1:${port}/mcp`;
  const verifier = new Verifier({ issuer: admin.url, audience: resource });
  const guard = mcpAuth({ verifier, resource, toolScopes: { list_orders: ["orders:read"], cancel_order: ["orders:write"] }, resourceName: "orders" });
  const server = createServer(async (req, res) => {
    if (guard.serveMetadata(req, res)) return;
    const body = req.method === "POST" ? await readJsonBody(req) : undefined;
    if (!(await guard.authorize(req, res, body))) return;
    const mcp = new McpServer({ name: "orders", version: "1.0.0" });
    mcp.registerTool("list_orders", { description: "List orders", inputSchema: { limit: z.number().optional() } }, async (_args, extra) => ({
      content: [{ type: "text", text: JSON.stringify({ task: extra.authInfo?.extra?.task, scopes: extra.authInfo?.scopes }) }],
    }));
    mcp.registerTool("cancel_order", { description: "Cancel an order", inputSchema: { id: z.string() } }, async () => ({ content: [{ type: "text", text: "cancelled" }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on("close", () => { transport.close(); mcp.close(); });
    await mcp.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise((r) => server.listen(port, "127.0.0.1", r));
  t.after(() => new Promise((r) => { server.closeAllConnections(); server.close(r); }));

  const meta = await (await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp`)).json();
  assert.equal(meta.resource, resource);
  assert.deepEqual(meta.authorization_servers, [admin.url]);
  assert.deepEqual(meta.scopes_supported.sort(), ["orders:read", "orders:write"]);
  assert.equal((await fetch(`http://127.0.0.1:${port}/.well-known/oauth-protected-resource`)).status, 200);

  const anonymous = await fetch(resource, { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json, text/event-stream" }, body: "{}" });
  assert.equal(anonymous.status, 401);
  const challenge = anonymous.headers.get("www-authenticate");
  assert.match(challenge, /^Bearer /);
  assert.ok(challenge.includes(`resource_metadata="http://127.0.0.1:${port}/.well-known/oauth-protected-resource/mcp"`), challenge);
  assert.equal((await anonymous.json()).error.code, "CREDENTIALS_MISSING");

  const agent = await admin.agent({ scopes: ["orders:read"], audiences: [resource] });
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const client = new Client({ name: "agent", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), {
    fetch: mayflyFetch(p, { taskFor: () => ({ audience: resource, scope: "orders:read", taskId: "mcp-task-1" }) }),
  }));
  t.after(() => client.close());
  const tools = await client.listTools();
  assert.deepEqual(tools.tools.map((x) => x.name).sort(), ["cancel_order", "list_orders"]);
  const listed = await client.callTool({ name: "list_orders", arguments: {} });
  assert.deepEqual(JSON.parse(listed.content[0].text), { task: "mcp-task-1", scopes: ["orders:read"] });
  await assert.rejects(client.callTool({ name: "cancel_order", arguments: { id: "o1" } }), (e) => {
    assert.ok(e instanceof PermissionDeniedError, String(e));
    assert.equal(e.requiredScope, "orders:write");
    return true;
  });
});

// Bad input from the network: a malformed JWKS, an SSE stream with garbage lines and unknown kinds, a 10 MB
// error body, a non-JSON 401. Each ends in a typed error or a skipped line, never a hang or an unbounded read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Verifier, RevocationFeed, mayflyFetch, TokenProvider, AuthFailureError, classify } from "../dist/index.js";
import { SseParser } from "../dist/verifier/sse.js";
import { readBounded } from "../dist/http.js";
import { broker } from "./support/broker.mjs";

function serve(handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) }));
  });
}

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const someToken = `${b64({ alg: "EdDSA", typ: "at+jwt", kid: "k1" })}.${b64({ sub: "a" })}.AAAA`;

test("a malformed or oversized JWKS is a typed rejection (KEYS_UNAVAILABLE or UNKNOWN_KEY), never a crash", async (t) => {
  for (const body of ["not json", '{"keys": "nope"}', "[]", '{"keys":[{"kty":"OKP"}]}', "{".repeat(100_000)]) {
    const s = await serve((req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(body));
    t.after(() => s.close());
    const v = new Verifier({ issuer: s.url, anyAudience: true });
    const d = await v.verify(someToken);
    assert.equal(d.ok, false);
    assert.ok(["UNAVAILABLE", "CREDENTIALS_INVALID"].includes(d.error.code), `${body.slice(0, 20)}: ${d.error.code}`);
    if (body.startsWith("{\"keys\":[")) assert.equal(d.error.details.reason, "UNKNOWN_KEY");
    else assert.equal(d.error.details.reason, "KEYS_UNAVAILABLE");
  }
  const huge = await serve((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write('{"keys":[');
    const chunk = '{"kty":"OKP","kid":"x","crv":"Ed25519","x":"' + "A".repeat(1000) + '"},';
    let n = 0;
    const pump = () => {
      while (n++ < 2000) if (!res.write(chunk)) return res.once("drain", pump);
      res.end("{}]}");
    };
    pump();
  });
  t.after(() => huge.close());
  const d = await new Verifier({ issuer: huge.url, anyAudience: true }).verify(someToken);
  assert.equal(d.error.details.reason, "KEYS_UNAVAILABLE", "a 2 MB JWKS is refused, read at most 512 KiB");
});

test("SSE garbage lines and unknown revocation kinds are skipped and counted; good events still apply", async (t) => {
  const s = await serve((req, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    const future = new Date(Date.now() + 600_000).toISOString();
    res.write("this line has no colon\n");
    res.write(": a comment\n");
    res.write("bogus: field\n\n");
    res.write("x".repeat(100_000) + "\n");
    res.write(`id: 1\nevent: revocation\ndata: {"seq":1,"kind":"galaxy","target":"g1","revoked_at":"${future}","covers_until":"${future}"}\n\n`);
    res.write(`event: something-new\ndata: {"whatever":true}\n\n`);
    res.write(`id: 2\nevent: revocation\ndata: {"seq":2,"kind":"task","target":"t-9","reason":"leak","revoked_at":"${future}","covers_until":"${future}"}\n\n`);
    // then silence: the stream stays open
  });
  t.after(() => s.close());
  const feed = new RevocationFeed({ broker: s.url, token: () => "t" }).start();
  t.after(() => feed.close());
  assert.ok(await feed.awaitSequence(2, 5000));
  const st = feed.status();
  assert.equal(st.unknownKinds, 1);
  assert.ok(st.ignoredLines >= 3, `ignored ${st.ignoredLines}`);
  assert.equal(feed.find({ task: "t-9" }).kind, "task");
  assert.equal(feed.find({ task: "t-other" }), null);
});

test("a malformed revocation drops the connection and resumes from the last good sequence", async (t) => {
  const seen = [];
  const s = await serve((req, res) => {
    seen.push(req.headers["last-event-id"] ?? null);
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    const future = new Date(Date.now() + 600_000).toISOString();
    if (seen.length === 1) {
      res.write(`id: 5\nevent: revocation\ndata: {"seq":5,"kind":"jti","target":"j","revoked_at":"${future}","covers_until":"${future}"}\n\n`);
      res.write(`id: 6\nevent: revocation\ndata: {"seq":6,"kind":"token"}\n\n`); // no target: cannot be applied
    } else {
      res.write(`id: 6\nevent: revocation\ndata: {"seq":6,"kind":"token","target":"j6","revoked_at":"${future}","covers_until":"${future}"}\n\n`);
    }
  });
  t.after(() => s.close());
  const feed = new RevocationFeed({ broker: s.url, token: () => "t", backoff: { baseMs: 10, capMs: 20 } }).start();
  t.after(() => feed.close());
  assert.ok(await feed.awaitSequence(6, 5000));
  assert.equal(feed.status().malformedEvents, 1);
  assert.deepEqual(seen.slice(0, 2), [null, "5"]);
  assert.equal(feed.find({ jti: "j6" }).kind, "token");
});

test("SseParser bounds an endless line and an oversized event", () => {
  const events = [];
  const p = new SseParser((e) => events.push(e), 1024, 4096);
  p.push("data: " + "y".repeat(5000));
  p.push("\n\n");
  p.push("data: ok\n\n");
  for (let i = 0; i < 10; i++) p.push("data: " + "z".repeat(1000) + "\n");
  p.push("\n");
  assert.deepEqual(events.map((e) => e.data), ["ok"]);
});

test("a 10 MB error body is read bounded, and a non-JSON 401 is a typed error; never a hang", async (t) => {
  const admin = await broker(t);
  const agent = await admin.agent({ audiences: ["https://orders.example"] });
  let served = 0;
  const s = await serve((req, res) => {
    served++;
    if (req.url === "/huge") {
      res.writeHead(401, { "Content-Type": "text/plain" });
      const mb = "e".repeat(1024 * 1024);
      let n = 0;
      const pump = () => {
        while (n++ < 10) if (!res.write(mb)) return res.once("drain", pump);
        res.end();
      };
      pump();
    } else {
      res.writeHead(401, { "Content-Type": "text/html" }).end("<html><body>Unauthorized</body></html>");
    }
  });
  t.after(() => s.close());
  const p = new TokenProvider({ broker: admin.url, clientId: agent.clientId, clientSecret: agent.clientSecret });
  t.after(() => p.close());
  const f = mayflyFetch(p, { taskFor: () => ({ audience: "https://orders.example" }) });
  const before = process.memoryUsage().arrayBuffers;
  await assert.rejects(f(`${s.url}/huge`), (e) => e instanceof AuthFailureError && e.code === "CREDENTIALS_INVALID");
  assert.ok(process.memoryUsage().arrayBuffers - before < 8 * 1024 * 1024, "not buffered whole");
  // A non-JSON 401 to a live token: the server rejected a token known to be valid, so INVALID (not retried).
  await assert.rejects(f(`${s.url}/html`), (e) => e instanceof AuthFailureError && e.failure.kind === "INVALID" && e.failure.format === "HTTP_STATUS");
  assert.equal(served, 2, "nothing was replayed");
  // The classifier alone, on garbage: a verdict, never an exception.
  assert.equal(classify({ status: 401, headers: { "WWW-Authenticate": "\u0000\u0001 ,,, ===" }, body: "\u0000{not json", sent: "opaque" }).kind, "UNKNOWN");
  const r = await readBounded(new Response("x".repeat(3_000_000)), 1000);
  assert.equal(r.text.length, 1000);
  assert.equal(r.truncated, true);
});

// Runs every case of spec/dpop/proofs.json (the language-neutral DPoP presentation vectors the Java and Python
// verifiers run too) through Verifier.verifyRequest: a fresh verifier per case, its clock at the case's `now`,
// the issuer's JWKS served from a loopback socket. A refusal must have the catalog code, the error of its
// WWW-Authenticate: DPoP challenge (as failureResponse renders it) and the message fragment.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Verifier, ManualClock, failureResponse } from "../dist/index.js";
import { repoRoot } from "./support/paths.mjs";

const spec = JSON.parse(readFileSync(join(repoRoot, "spec", "dpop", "proofs.json"), "utf8"));

const jwks = createServer((req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify(spec.jwks)));
await new Promise((r) => jwks.listen(0, "127.0.0.1", r));
const jwksUri = `http://127.0.0.1:${jwks.address().port}/jwks.json`;
test.after(() => new Promise((r) => { jwks.closeAllConnections(); jwks.close(() => r()); }));

function challengeError(error) {
  const header = failureResponse(error).headers["WWW-Authenticate"];
  assert.match(header, /^DPoP /, "a DPoP presentation's refusal is challenged with DPoP");
  return /[ ,]error="([^"]*)"/.exec(header)?.[1];
}

test("the vectors are there", () => assert.ok(spec.cases.length >= 30, `only ${spec.cases.length} cases`));

for (const c of spec.cases) {
  test(c.name, async () => {
    const verifier = new Verifier({
      issuer: spec.issuer,
      audience: spec.audience,
      jwksUri,
      leewayMs: spec.leeway_seconds * 1000,
      dpop: { windowMs: spec.iat_window_seconds * 1000 },
      clock: new ManualClock(c.now),
    });
    const d = await verifier.verifyRequest({ authorization: c.authorization, dpop: c.dpop, method: c.method, url: c.url });
    const e = c.expect;
    if (e.accept) {
      assert.ok(d.ok, d.ok ? "" : `refused: ${d.error.code} ${d.error.message}`);
      assert.equal(d.claims.jkt, e.jkt);
      return;
    }
    assert.ok(!d.ok, "accepted, but the vector refuses it");
    assert.equal(d.error.code, e.code, d.error.message);
    assert.ok(d.error.message.includes(e.message), `"${d.error.message}" lacks "${e.message}"`);
    assert.equal(challengeError(d.error), e.dpop_error);
  });
}

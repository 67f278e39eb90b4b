// Runs every file in spec/auth-failures/ (the language-neutral vectors the Java and Python clients run too)
// through classify(), with the clock pinned at 2026-11-22T14:00:00Z and 30 s of skew allowance.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { classify, ManualClock, toMayflyError } from "../dist/index.js";
import { repoRoot } from "./support/paths.mjs";

const NOW = "2026-11-22T14:00:00Z";
const REQUIRED = ["mayfly", "oauth", "bearer", "dpop", "aws", "azure", "google", "github", "kubernetes", "vault", "fallback",
  "gateways", "presigned", "azure-data", "jose", "identity-providers"];
const dir = join(repoRoot, "spec", "auth-failures");
const files = readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
const clock = new ManualClock(NOW);

test("every required format has a vector file", () => {
  const formats = files.map((f) => f.replace(/\.json$/, ""));
  for (const r of REQUIRED) assert.ok(formats.includes(r), `spec/auth-failures/${r}.json is missing`);
});

function sent(node) {
  if (node == null) return null;
  if (typeof node === "object") return { exp: node.exp };
  return node === "none" || node === "opaque" ? node : null;
}

let total = 0;
for (const file of files) {
  const spec = JSON.parse(readFileSync(join(dir, file), "utf8"));
  const format = file.replace(/\.json$/, "");
  test(`${format}: names its sources`, () => assert.ok(Array.isArray(spec.sources) && spec.sources.length > 0));
  for (const c of spec.cases) {
    total++;
    test(`${format}: ${c.name}`, () => {
      const f = classify({ status: c.status, headers: c.headers, body: c.body, sent: sent(c.sent) }, { clock, clockSkewMs: 30_000 });
      const e = c.expect;
      if (e == null) {
        assert.equal(f, null, "not a failure");
        return;
      }
      assert.ok(f, "classified");
      const why = JSON.stringify(f);
      assert.equal(f.kind, e.kind, `kind of ${why}`);
      assert.ok("mayfly_code" in e, "every expectation names its catalog code");
      assert.equal(f.code, e.mayfly_code, `catalog code of ${why}`);
      assert.equal(f.status, c.status);
      if ("retryable" in e) assert.equal(f.retryable, e.retryable, `retryable of ${why}`);
      if ("recovery" in e) assert.equal(f.recovery, e.recovery, `recovery of ${why}`);
      if ("format" in e) assert.equal(f.format, e.format, `format of ${why}`);
      if ("code" in e) assert.equal(f.sourceCode, e.code, `server code of ${why}`);
      if ("expired_at" in e) assert.equal(Date.parse(f.expiredAt), Date.parse(e.expired_at), `expired_at of ${why}`);
      if ("required_scope" in e) assert.equal(f.requiredScope, e.required_scope);
      if ("missing_scopes" in e) assert.deepEqual([...f.missingScopes], e.missing_scopes);
      if ("retry_after_ms" in e) assert.equal(f.retryAfterMs, e.retry_after_ms);
      if ("dpop_nonce" in e) assert.equal(f.dpopNonce, e.dpop_nonce);
      if ("claims" in e) assert.equal(f.claimsChallenge, e.claims);
      if ("reauth_command" in e) assert.equal(f.reauthCommand, e.reauth_command);
      if (["UNKNOWN", "DENIED", "REVOKED", "MISSING"].includes(f.kind)) assert.equal(f.retryable, false, `never retried: ${why}`);
      assert.ok(toMayflyError(f).code.length > 0);
    });
  }
}

test("the vector directory is not empty", () => assert.ok(total > 100, `only ${total} cases`));

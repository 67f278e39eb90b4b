// DpopKey without a broker: proofs as RFC 9449 §4.2 shapes them (checked with jose), the key file written 0600
// and refused when others may read it, and the private key never shown by String, JSON or util.inspect.
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { calculateJwkThumbprint, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import { DpopKey, MayflyError } from "../dist/index.js";

const dir = mkdtempSync(join(tmpdir(), "mayfly-ts-dpopkey-"));

for (const alg of ["EdDSA", "ES256"]) {
  test(`${alg}: a proof is a dpop+jwt signed by the key in its jwk header, htu without query and fragment`, async () => {
    const key = DpopKey.generate(alg);
    assert.equal(key.alg, alg);
    assert.equal(key.thumbprint, await calculateJwkThumbprint(key.publicJwk), "RFC 7638 thumbprint, as jose computes it");
    const now = Date.UTC(2026, 10, 22, 14, 0, 0, 789);
    const proof = await key.proof({ method: "GET", url: "https://API.example:443/orders/7?page=2#top", accessToken: "tok.en.value", nonce: "n-1", now });
    const header = decodeProtectedHeader(proof);
    assert.equal(header.typ, "dpop+jwt");
    assert.equal(header.alg, alg);
    assert.ok(!("d" in header.jwk), "the jwk header is the public key only");
    const { payload } = await compactVerify(proof, await importJWK(header.jwk, alg));
    const claims = JSON.parse(Buffer.from(payload).toString());
    assert.equal(claims.htm, "GET");
    assert.equal(claims.htu, "https://api.example/orders/7");
    assert.equal(claims.iat, Math.floor(now / 1000));
    assert.equal(claims.ath, createHash("sha256").update("tok.en.value").digest("base64url"));
    assert.equal(claims.nonce, "n-1");
    assert.match(claims.jti, /^[A-Za-z0-9_-]{22}$/);
    const other = JSON.parse(Buffer.from((await key.proof({ method: "POST", url: "http://127.0.0.1:1/oauth/token", now })).split(".")[1], "base64url"));
    assert.notEqual(other.jti, claims.jti, "a fresh jti per proof");
    assert.ok(!("ath" in other) && !("nonce" in other), "no ath without a token, no nonce unless demanded");
  });

  test(`${alg}: saved 0600, loaded back as the same key; loadOrCreate creates once`, () => {
    const key = DpopKey.generate(alg);
    const file = join(dir, `${alg}.jwk`);
    key.save(file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const back = DpopKey.load(file);
    assert.equal(back.thumbprint, key.thumbprint);
    const fresh = join(dir, `${alg}-created.jwk`);
    const created = DpopKey.loadOrCreate(fresh, alg);
    assert.equal(statSync(fresh).mode & 0o777, 0o600);
    assert.equal(DpopKey.loadOrCreate(fresh, alg).thumbprint, created.thumbprint, "the second call loads what the first wrote");
  });
}

test("the private key is never shown: String, JSON.stringify, util.inspect, errors", () => {
  const key = DpopKey.generate();
  const file = join(dir, "shown.jwk");
  key.save(file);
  const d = JSON.parse(readFileSync(file, "utf8")).d;
  for (const shown of [String(key), JSON.stringify(key), inspect(key), inspect({ nested: key }, { depth: 5 })]) {
    assert.ok(!shown.includes(d), shown);
    assert.ok(shown.includes(key.thumbprint));
  }
  const jwk = JSON.parse(readFileSync(file, "utf8"));
  const wrong = { ...jwk, x: DpopKey.generate().publicJwk.x };
  assert.throws(() => DpopKey.fromJwk(wrong), (e) => e instanceof MayflyError && e.code === "USAGE" && !e.message.includes(d));
  assert.throws(() => DpopKey.fromJwk({ kty: "RSA", n: "x", e: "AQAB", d: "y" }), (e) => e.code === "USAGE");
  assert.throws(() => DpopKey.fromJwk(JSON.stringify({ ...jwk, d: undefined })), (e) => e.code === "USAGE");
});

test("a key file that others may read is refused (PRECONDITION), as is one that is not a key", () => {
  const file = join(dir, "open.jwk");
  DpopKey.generate().save(file);
  chmodSync(file, 0o644);
  assert.throws(() => DpopKey.load(file), (e) => e.code === "PRECONDITION" && /chmod 600/.test(e.message));
  const garbage = join(dir, "garbage.jwk");
  writeFileSync(garbage, "not json", { mode: 0o600 });
  assert.throws(() => DpopKey.load(garbage), (e) => e.code === "PRECONDITION" && e.message.includes(garbage));
  assert.throws(() => DpopKey.load(join(dir, "absent.jwk")), (e) => e.code === "PRECONDITION");
});

test("the Java SDK's private JWK (the CLI's dpop_key) loads", () => {
  // The shape DpopKey.privateJwk() of mayfly-client writes: kty, crv, x, d in that order.
  const key = DpopKey.generate();
  const file = join(dir, "java.jwk");
  key.save(file);
  const { kty, crv, x, d } = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(DpopKey.fromJwk(JSON.stringify({ kty, crv, x, d })).thumbprint, key.thumbprint);
});

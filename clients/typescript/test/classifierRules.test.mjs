// The classifier's rules one at a time, beside the vectors that show them on real responses (ports of the Java
// SDK's WordingTest, ChallengeTest and ReportedExpiryTest): one cause decides, two causes decide nothing,
// timestamps of requests are not credentials' expiry, stated times in each form, lenient challenge syntax, and
// "expired at" is never a future instant.
import { test } from "node:test";
import assert from "node:assert/strict";
import { classify, ManualClock, toMayflyError } from "../dist/index.js";
import { meaningOf } from "../dist/classify/wording.js";
import { statedExpiry } from "../dist/classify/statedExpiry.js";
import { parseChallenges } from "../dist/classify/challenge.js";
import { ValidityWindow } from "../dist/classify/validityWindow.js";
import { parseOffsetDateTime, parseRfc1123 } from "../dist/classify/instants.js";

const NOW = Date.parse("2026-11-22T14:00:00Z");
const at = (iso) => Date.parse(iso);

test("expiry in the words of libraries and gateways", () => {
  for (const text of ["jwt expired", "Jwt is expired", "Signature has expired.", "Expired JWT",
    "Jwt expired at 2026-11-22T13:55:00Z", "token is expired by 5m0s", '"exp" claim timestamp check failed',
    "Error validating token: IDX10223", "Lifetime validation failed. The token is expired.",
    "Token is not active", "The incoming token has expired", "Access token has expired or is not yet valid."]) {
    assert.equal(meaningOf(text), "EXPIRED", text);
  }
});

test("two causes decide nothing", () => {
  for (const text of ["invalid or expired jwt", "The access token is invalid or has expired",
    "Unauthorized. Access token is missing or invalid.", "missing or malformed jwt",
    "The refresh token is invalid or expired.", "Unknown or invalid refresh token."]) {
    assert.equal(meaningOf(text), null, text);
  }
});

test("request timestamps are not credential expiry", () => {
  assert.equal(meaningOf("Request has expired"), null);
  assert.equal(meaningOf("Signature expired: 20210527T091025Z is now earlier than 20210527T093851Z"), null);
  assert.equal(meaningOf("Signature not yet current: 20230804T000000Z is still later than 20230803T172233Z"), null);
});

test("not yet valid, missing, the wrong credential, revoked; and words that say none of these", () => {
  assert.equal(meaningOf("Jwt not yet valid"), "NOT_YET_VALID");
  assert.equal(meaningOf('"nbf" claim timestamp check failed'), "NOT_YET_VALID");
  assert.equal(meaningOf("Jwt is missing"), "MISSING");
  assert.equal(meaningOf("AKV10000: Request is missing a Bearer or PoP token."), "MISSING");
  assert.equal(meaningOf("No API key found in request"), "MISSING");
  assert.equal(meaningOf("Invalid JWT token: missing required scopes."), null, "missing, but not the credential");
  assert.equal(meaningOf("AKV10022: Invalid audience."), "WRONG_CREDENTIAL");
  assert.equal(meaningOf("Jwt issuer is not configured"), "WRONG_CREDENTIAL");
  assert.equal(meaningOf("invalid signature"), "WRONG_CREDENTIAL");
  assert.equal(meaningOf("refresh token revoked"), "REVOKED");
  assert.equal(meaningOf("Bad credentials"), null);
  assert.equal(meaningOf("RBAC: access denied"), null);
  assert.equal(meaningOf(null), null);
  assert.equal(meaningOf("   "), null);
});

test("a stated expiry in each form services write it", () => {
  assert.equal(statedExpiry("Jwt expired at 2026-11-22T13:55:00Z"), at("2026-11-22T13:55:00Z"));
  assert.equal(statedExpiry("Request signature expired at: 2020-07-29T18:17:19+00:00"), at("2020-07-29T18:17:19Z"));
  assert.equal(statedExpiry("The token expired at '11/22/2026 13:55:00'"), at("2026-11-22T13:55:00Z"));
  assert.equal(statedExpiry("ExpiredToken: The token is expired. Expiration time: '2018-11-04 05:05:25Z'."), at("2018-11-04T05:05:25Z"));
  assert.equal(statedExpiry("The access token expiry UTC time '3/19/2023 8:55:46 AM' is earlier than current UTC time"),
    at("2023-03-19T08:55:46Z"));
  assert.equal(statedExpiry("The access token expiry UTC time '3/19/2023 12:05:00 PM' is earlier"), at("2023-03-19T12:05:00Z"));
  assert.equal(statedExpiry("Request has expired: 120"), 120_000);
  assert.equal(statedExpiry("Jwt expired at 13/45/2026 99:00:00"), null, "no such date");
  assert.equal(statedExpiry("Jwt expired at 2026-02-30T10:00:00Z"), null, "ISO is read strictly");
  assert.equal(statedExpiry("jwt expired"), null);
});

test("ISO and RFC 1123 instants are read as java.time reads them", () => {
  assert.equal(parseOffsetDateTime("2026-11-22T15:55:00.250+02:00"), at("2026-11-22T13:55:00.250Z"));
  assert.equal(parseOffsetDateTime("2026-11-22T13:55Z"), at("2026-11-22T13:55:00Z"));
  assert.equal(new Date(parseOffsetDateTime("0099-01-01T00:00:00Z")).getUTCFullYear(), 99, "a year below 100 is that year, not 19xx");
  assert.equal(parseOffsetDateTime("2026-11-22 13:55:00Z"), null);
  assert.equal(parseOffsetDateTime("2026-11-22T24:00:00Z"), null);
  assert.equal(parseRfc1123("Sun, 22 Nov 2026 13:55:00 GMT"), at("2026-11-22T13:55:00Z"));
  assert.equal(parseRfc1123("sun, 22 nov 2026 13:55:00 GMT"), at("2026-11-22T13:55:00Z"), "names in any case");
  assert.equal(parseRfc1123("Mon, 22 Nov 2026 13:55:00 GMT"), null, "22 Nov 2026 is a Sunday");
});

test("a validity window: past its end is EXPIRED then, before its start a clock to fix, inside it no verdict", () => {
  const sas = (current) => ValidityWindow.in("Signature not valid in the specified time frame: Start [Sun, 22 Nov 2026 13:00:00 GMT]"
    + ` - Expiry [Sun, 22 Nov 2026 13:55:00 GMT] - Current [${current}]`);
  const expired = sas("Sun, 22 Nov 2026 14:00:00 GMT").verdict("AuthenticationFailed", "m").build();
  assert.equal(expired.kind, "EXPIRED");
  assert.equal(expired.expiredAt, "2026-11-22T13:55:00Z");
  const early = sas("Sun, 22 Nov 2026 12:00:00 GMT").verdict("AuthenticationFailed", "m").build();
  assert.equal(early.kind, "INVALID");
  assert.equal(early.recovery, "FIX_CLOCK");
  assert.equal(sas("Sun, 22 Nov 2026 13:30:00 GMT").verdict("AuthenticationFailed", "m"), null);
  assert.equal(sas("Mon, 22 Nov 2026 13:30:00 GMT"), null, "a date that is no date is no window");
});

test("challenges: space-separated auth-params as servers send them, and unquoted URL values", () => {
  // AWS API Gateway's HTTP API JWT authorizer (and Kong's oauth2 plugin) separate auth-params with spaces.
  const [aws, ...rest] = parseChallenges(['Bearer scope="" error="invalid_token" error_description="the token has expired"']);
  assert.equal(rest.length, 0);
  assert.equal(aws.params.scope, "");
  assert.equal(aws.params.error, "invalid_token");
  assert.equal(aws.params.error_description, "the token has expired");
  // A space followed by a scheme and its parameter still starts a new challenge.
  assert.deepEqual(parseChallenges(['Bearer realm="a", Basic realm="b"']).map((c) => c.scheme), ["bearer", "basic"]);
  // Azure Storage: unquoted URLs (':' is not a token character) separated by a space.
  const [azure, ...more] = parseChallenges(["Bearer authorization_uri=https://login.microsoftonline.com/"
    + "72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize resource_id=https://storage.azure.com"]);
  assert.equal(more.length, 0);
  assert.equal(azure.params.authorization_uri, "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/authorize");
  assert.equal(azure.params.resource_id, "https://storage.azure.com");
  assert.ok(Array.isArray(parseChallenges(['""",,,=;;', "", 'Bearer error="unterminated'])), "survives garbage");
});

// An answer that calls the token expired without saying when: the sent token's exp is reported only when that
// instant has passed (within the skew allowance), never a future one as "expired at".
function expiredAnswer(sentExp) {
  return classify({
    status: 401,
    headers: { "WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token expired"' },
    body: "",
    sent: { exp: new Date(sentExp) },
  }, { clock: new ManualClock(NOW), clockSkewMs: 30_000 });
}

test("reported expiry: a passed exp is reported, one within the skew too, a future one never", () => {
  const passed = expiredAnswer(NOW - 300_000);
  assert.equal(passed.kind, "EXPIRED");
  assert.equal(passed.expiredAt, "2026-11-22T13:55:00Z");
  assert.equal(expiredAnswer(NOW + 20_000).expiredAt, "2026-11-22T14:00:20Z");
  const future = expiredAnswer(NOW + 600_000);
  assert.equal(future.kind, "EXPIRED", "the server's word still decides the kind");
  assert.equal(future.expiredAt, null);
  assert.equal(toMayflyError(future).expiredAt, null);
});

test("the body's words are read on 401 and 403 only; a 403 with nothing sent is MISSING", () => {
  const clock = new ManualClock(NOW);
  const words = (status) => classify({ status, body: '{"message":"Jwt is expired"}', sent: "opaque" }, { clock });
  assert.equal(words(401).kind, "EXPIRED");
  assert.equal(words(401).format, "MESSAGE");
  assert.equal(words(403).kind, "EXPIRED");
  assert.equal(words(400).kind, "UNKNOWN", "a 400's words are about the request");
  assert.equal(words(500).kind, "UNKNOWN", "a 500 that says expired is a server bug, not an answer");
  const istio = classify({ status: 403, body: "RBAC: access denied", sent: "none" }, { clock });
  assert.equal(istio.kind, "MISSING");
  assert.equal(classify({ status: 403, body: "RBAC: access denied", sent: "opaque" }, { clock }).kind, "DENIED");
});

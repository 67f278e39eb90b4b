import { Draft, Format } from "./authFailure.js";
import { ResponseView } from "./responseView.js";
import { statedExpiry } from "./statedExpiry.js";

/**
 * What the words say about the credential: its lifetime is over (EXPIRED), has not begun (NOT_YET_VALID: a
 * clock is off, refreshing does not help), it was REVOKED, the server saw none where it looks (MISSING: a
 * token sent elsewhere counts as missing), or it is the WRONG_CREDENTIAL (another audience or issuer, a wrong
 * signature or key).
 */
export type Meaning = "EXPIRED" | "NOT_YET_VALID" | "REVOKED" | "MISSING" | "WRONG_CREDENTIAL";

const MAX_TEXT = 4096;

/** Two causes joined by "or": "invalid or expired", "is invalid or has expired", "missing or malformed". */
const TWO_CAUSES =
  /\b(invalid|malformed|missing|revoked|unknown|bad|expired)\b[^.;]{0,20}?\bor\b(\s+(has|is|been|was|has been))*\s+(invalid|malformed|missing|revoked|expired|unknown)\b/;
const EXPIRED =
  /expired|token expir|\bnot active\b|lifetime validation failed|\bidx10223\b|"exp" claim timestamp check failed|\bexp claim\b[^.]{0,30}\bfailed/;
/** Expiry wording about a request's or signature's timestamp (AWS SigV4, EC2 RequestExpired), not a credential. */
const REQUEST_TIME = /request has expired|signature expired|signature not yet current/;
const NOT_YET_VALID =
  /not yet valid|not valid yet|not valid before|"nbf" claim timestamp check failed|\bused before\b|\bimmature\b/;
const MISSING =
  /missing|not provided|\bno (api key|key|token|jwt|bearer|credentials?|authorization)\b|not found in (the )?request|header was not found/;
const CREDENTIAL_WORD = /token|jwt|credential|authori[sz]ation|bearer|\bkey\b/;
/** Words that make "missing" about something other than the credential ("missing required scopes"). */
const MISSING_ELSEWHERE = /scope|claim|permission|role/;
const WRONG_CREDENTIAL = /audience|issuer|\b(iss|aud)\b.{0,3}claim|signature|invalid (api |subscription )?key\b/;

/**
 * What free text from a server says about the credential, for the many servers that say it only in words:
 * gateways ("Jwt is expired", "the token has expired"), JOSE libraries whose messages servers pass on ("jwt
 * expired", "Signature has expired", `"exp" claim timestamp check failed`, "Expired JWT", "Jwt expired at ...",
 * "token is expired by 5m0s", IDX10223), and vendors' messages ("AKV10000: Request is missing a Bearer or PoP
 * token"). Null when the text names no single cause (or is empty).
 *
 * Each meaning is a class of wording, not one vendor's string (spec/README.md "Reading words"; port of the Java
 * SDK's Wording). Text that names two causes at once ("invalid or expired", "missing or invalid") says nothing:
 * the caller falls back on the token's `exp`. Order matters: expiry before "not yet valid" (Graph's "expired
 * or is not yet valid" is about an expired token), both before the wrong-token words (PyJWT's "Signature has
 * expired" is expiry).
 */
export function meaningOf(text: string | null | undefined): Meaning | null {
  if (text == null || text.trim() === "") return null;
  const t = (text.length > MAX_TEXT ? text.substring(0, MAX_TEXT) : text).toLowerCase();
  if (TWO_CAUSES.test(t)) return null;
  const requestTime = REQUEST_TIME.test(t);
  if (!requestTime && EXPIRED.test(t)) return "EXPIRED";
  if (NOT_YET_VALID.test(t)) return "NOT_YET_VALID";
  if (t.includes("revoked")) return "REVOKED";
  if (MISSING.test(t) && CREDENTIAL_WORD.test(t) && !MISSING_ELSEWHERE.test(t)) return "MISSING";
  if (!requestTime && WRONG_CREDENTIAL.test(t)) return "WRONG_CREDENTIAL";
  return null;
}

/** True when the text says the credential expired (not that a request or signature timestamp did). */
export function saysExpired(text: string | null | undefined): boolean {
  return meaningOf(text) === "EXPIRED";
}

/**
 * The verdict the words of `text` give, or null when they give none. An EXPIRED verdict carries the time the
 * text states, else the sent token's `exp` when that has passed.
 */
export function wordingVerdict(text: string | null | undefined, format: Format, code: string | null,
  message: string | null, r: ResponseView): Draft | null {
  switch (meaningOf(text)) {
    case "EXPIRED":
      return new Draft("EXPIRED", format).withCode(code).withMessage(message).withExpiredAt(statedExpiry(text) ?? r.sentExpiry());
    case "NOT_YET_VALID":
      return new Draft("INVALID", format).withCode(code).withMessage(message).withRecovery("FIX_CLOCK").withRetryable(false);
    case "REVOKED":
      return new Draft("REVOKED", format).withCode(code).withMessage(message);
    case "MISSING":
      return new Draft("MISSING", format).withCode(code).withMessage(message);
    case "WRONG_CREDENTIAL":
      return new Draft("INVALID", format).withCode(code).withMessage(message);
    default:
      return null;
  }
}

import { Draft } from "../authFailure.js";
import { contains, ResponseView, text } from "../responseView.js";
import { byExpiry } from "./recognizer.js";

/**
 * GitHub's REST API. A 401 `Bad credentials` covers expired, revoked and wrong tokens alike, so the token's
 * `exp` decides; `Requires authentication` means none was sent. A 403 is a denial unless it is a rate limit.
 */
export function githubFormat(r: ResponseView): Draft | null {
  const json = r.json();
  const docs = text(json, "documentation_url");
  const github = (docs != null && (docs.includes("docs.github.com") || docs.includes("developer.github.com")))
    || r.header("x-github-request-id") != null;
  if (!github) return null;
  const message = text(json, "message");
  if ((r.status === 403 || r.status === 429) && (r.header("x-ratelimit-remaining") === "0" || contains(message, "rate limit"))) {
    return new Draft("RATE_LIMITED", "GITHUB").withCode("rate_limited").withMessage(message).withRetryAfterMs(rateLimitWait(r));
  }
  if (r.status === 401) {
    if (contains(message, "requires authentication")) {
      return new Draft("MISSING", "GITHUB").withCode("requires_authentication").withMessage(message);
    }
    return byExpiry(r, "GITHUB", "bad_credentials", message);
  }
  if (r.status === 403) {
    const accepted = r.header("x-accepted-oauth-scopes");
    return new Draft("DENIED", "GITHUB").withCode("forbidden").withMessage(message)
      .withRequiredScope(accepted == null || accepted.trim() === "" ? null : accepted.trim());
  }
  return null;
}

function rateLimitWait(r: ResponseView): number | null {
  const retryAfter = r.retryAfterMs();
  if (retryAfter !== null) return retryAfter;
  const reset = r.header("x-ratelimit-reset");
  if (reset != null && /^[+-]?\d+$/.test(reset.trim())) return Math.max(0, Number(reset.trim()) * 1000 - r.now);
  return null;
}

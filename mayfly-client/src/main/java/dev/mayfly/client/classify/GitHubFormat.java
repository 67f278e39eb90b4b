package dev.mayfly.client.classify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.AuthFailure.Format;
import dev.mayfly.client.classify.AuthFailure.Kind;
import java.time.Duration;
import java.time.Instant;

/**
 * GitHub's REST API: {@code {"message":"...","documentation_url":"https://docs.github.com/..."}}. A 401
 * {@code Bad credentials} covers expired, revoked and wrong tokens alike, so the token's {@code exp} (an
 * installation token's {@code expires_at}) decides; {@code Requires authentication} means none was sent.
 * A 403 is a denial unless it is one of the rate limits ({@code x-ratelimit-remaining: 0}, or a secondary
 * limit's message), which GitHub also answers with 403; the wait then comes from {@code retry-after} or
 * {@code x-ratelimit-reset} (epoch seconds).
 */
final class GitHubFormat implements Recognizer {
    @Override
    public AuthFailure.Builder recognize(ResponseView r) {
        JsonNode json = r.json();
        String docs = ResponseView.text(json, "documentation_url");
        boolean github = (docs != null && (docs.contains("docs.github.com") || docs.contains("developer.github.com")))
                || r.header("x-github-request-id") != null;
        if (!github) {
            return null;
        }
        String message = ResponseView.text(json, "message");
        if ((r.status() == 403 || r.status() == 429)
                && ("0".equals(r.header("x-ratelimit-remaining")) || ResponseView.contains(message, "rate limit"))) {
            return AuthFailure.builder(Kind.RATE_LIMITED, Format.GITHUB).code("rate_limited").message(message)
                    .retryAfter(rateLimitWait(r));
        }
        if (r.status() == 401) {
            if (ResponseView.contains(message, "requires authentication")) {
                return AuthFailure.builder(Kind.MISSING, Format.GITHUB).code("requires_authentication").message(message);
            }
            return CredentialRejected.byExpiry(r, Format.GITHUB, "bad_credentials", message);
        }
        if (r.status() == 403) {
            String accepted = r.header("x-accepted-oauth-scopes");
            return AuthFailure.builder(Kind.DENIED, Format.GITHUB).code("forbidden").message(message)
                    .requiredScope(accepted == null || accepted.isBlank() ? null : accepted.strip());
        }
        return null;
    }

    private static Duration rateLimitWait(ResponseView r) {
        Duration retryAfter = r.retryAfter();
        if (retryAfter != null) {
            return retryAfter;
        }
        String reset = r.header("x-ratelimit-reset");
        if (reset != null) {
            try {
                Duration d = Duration.between(r.now(), Instant.ofEpochSecond(Long.parseLong(reset.strip())));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}

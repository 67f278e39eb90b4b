package dev.mayfly.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns any unsuccessful HTTP response into one catalog error, telling expiry from denial:
 *
 * <ol>
 *   <li>Mayfly's own answers are taken at their word: the envelope's {@code error}, or an OAuth error body
 *       carrying Mayfly's {@code code}.</li>
 *   <li>Anyone else is read through RFC 6750 §3.1: 401 {@code invalid_token} is an expiry when the challenge
 *       says so or when the token we sent is past its own {@code exp}; otherwise revoked (if said) or
 *       invalid. 401 without an error attribute is a missing credential; 403 or {@code insufficient_scope}
 *       is a permanent denial.</li>
 *   <li>A plain OAuth error body ({@code error} without {@code code}) maps to the nearest code.</li>
 *   <li>Everything else by status.</li>
 * </ol>
 *
 * <p>This is the CLI's own minimal classifier; the {@code mayfly-client} SDK's classifier replaces it once
 * that module is available to the CLI. Stateless.
 */
public final class ResponseClassifier {
    private ResponseClassifier() {
    }

    /**
     * @param tokenExpiresAt the {@code exp} of the token that was sent, or {@code null} when none was
     * @param target         what was called, for the message (an origin, never a full URL with a query)
     */
    public static MayflyError classify(HttpReply r, Instant tokenExpiresAt, Instant now, String target) {
        JsonNode body = r.json();
        if (body != null && body.path("error").isObject() && WireErrors.hasCode(body.get("error"))) {
            return WireErrors.fromWire(body.get("error"), byStatus(r.status()));
        }
        if (WireErrors.hasCode(body)) {
            return WireErrors.fromWire(body, byStatus(r.status()));
        }
        Optional<BearerChallenge> challenge = BearerChallenge.parse(r.header("WWW-Authenticate"));
        String prefix = "HTTP " + r.status() + " from " + target;
        if (r.status() == 401 || challenge.map(c -> "invalid_token".equals(c.error())).orElse(false)) {
            return unauthorized(challenge, tokenExpiresAt, now, prefix);
        }
        if (r.status() == 403 || challenge.map(c -> "insufficient_scope".equals(c.error())).orElse(false)) {
            String scope = challenge.map(BearerChallenge::scope).orElse(null);
            MayflyError.Builder b = MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                    prefix + ": permission denied" + (scope == null ? "." : " (needs scope " + scope + ")."));
            if (scope != null) {
                b.requiredScope(scope).missingScopes(List.of(scope.split(" ")));
            }
            return b.build();
        }
        if (body != null && body.path("error").isTextual()) {
            ErrorCode code = WireErrors.fromOAuthError(body.get("error").asText());
            return WireErrors.fromWire(body, code == ErrorCode.INTERNAL ? byStatus(r.status()) : code);
        }
        ErrorCode code = byStatus(r.status());
        MayflyError.Builder b = MayflyError.builder(code, prefix + ".");
        String retryAfter = r.header("Retry-After");
        if (code.retryable() && retryAfter != null && retryAfter.matches("\\d{1,6}")) {
            b.retryAfterMs(Long.parseLong(retryAfter) * 1000);
        }
        return b.build();
    }

    private static MayflyError unauthorized(Optional<BearerChallenge> challenge, Instant tokenExpiresAt, Instant now,
                                            String prefix) {
        if (challenge.isPresent() && challenge.get().error() == null) {
            return MayflyError.of(ErrorCode.CREDENTIALS_MISSING, prefix + ": no credential was accepted.");
        }
        String description = challenge.map(BearerChallenge::description).orElse("").toLowerCase(Locale.ROOT);
        boolean pastExp = tokenExpiresAt != null && !now.isBefore(tokenExpiresAt);
        if (description.contains("expired") || pastExp) {
            return MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                            prefix + ": token expired" + (tokenExpiresAt == null ? "." : " at " + tokenExpiresAt + "."))
                    .expiredAt(tokenExpiresAt)
                    .build();
        }
        if (description.contains("revoked")) {
            return MayflyError.of(ErrorCode.CREDENTIALS_REVOKED, prefix + ": token revoked.");
        }
        return MayflyError.of(ErrorCode.CREDENTIALS_INVALID, prefix + ": token not accepted.");
    }

    static ErrorCode byStatus(int status) {
        switch (status) {
            case 400: return ErrorCode.USAGE;
            case 401: return ErrorCode.CREDENTIALS_INVALID;
            case 403: return ErrorCode.PERMISSION_DENIED;
            case 404: return ErrorCode.NOT_FOUND;
            case 408: case 504: return ErrorCode.TIMEOUT;
            case 409: return ErrorCode.CONFLICT;
            case 412: return ErrorCode.PRECONDITION;
            case 429: return ErrorCode.RATE_LIMITED;
            case 502: case 503: return ErrorCode.UNAVAILABLE;
            default: return status >= 400 && status < 500 ? ErrorCode.USAGE : ErrorCode.INTERNAL;
        }
    }
}

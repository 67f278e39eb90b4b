package dev.mayfly.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.token.Scopes;
import java.util.ArrayList;
import java.util.List;

/**
 * A successful token-endpoint response (RFC 6749 §5.1, RFC 8693 §2.2.1, plus Mayfly's fields). Tokens are
 * {@link Secret}s, so this record's {@code toString} shows none. Fields a grant does not return are
 * {@code null}: no refresh token on token exchange, no task id on login.
 */
public record TokenGrant(
        Secret accessToken,
        long expiresIn,
        Long refreshAfter,
        Secret refreshToken,
        String sessionId,
        Long sessionExpiresIn,
        List<String> scopes,
        String tier,
        String taskId,
        List<String> audience) {

    static TokenGrant fromJson(JsonNode j) {
        List<String> audience = new ArrayList<>();
        JsonNode aud = j.path("audience");
        if (aud.isArray()) {
            aud.forEach(a -> audience.add(a.asText()));
        } else if (aud.isTextual()) {
            audience.add(aud.asText());
        }
        return new TokenGrant(
                Secret.of(j.path("access_token").asText()),
                j.path("expires_in").asLong(),
                j.hasNonNull("refresh_after") ? j.get("refresh_after").asLong() : null,
                j.hasNonNull("refresh_token") ? Secret.of(j.get("refresh_token").asText()) : null,
                j.path("session_id").asText(null),
                j.hasNonNull("session_expires_in") ? j.get("session_expires_in").asLong() : null,
                Scopes.parse(j.path("scope").asText("")),
                j.path("tier").asText(null),
                j.path("task_id").asText(null),
                List.copyOf(audience));
    }
}

package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.token.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A successful answer of the token endpoint (RFC 6749 §5.1, RFC 8693 §2.2.1) with Mayfly's extra fields.
 * Times are anchored at {@code sentAt}, the client's clock when the request left, so expiry is never
 * overestimated. Tokens are {@link Secret}s, so {@code toString} shows none; fields a grant does not return
 * are null (no refresh token on token exchange, no task id on a login).
 */
public record TokenResponse(Secret accessToken, String tokenType, Duration expiresIn, Duration refreshAfter, List<String> scopes,
                     Secret refreshToken, String sessionId, Duration sessionExpiresIn, String tier, String taskId,
                     List<String> audiences, Instant sentAt) {

    /** Parses the JSON body; null when it is not a usable token response. */
    static TokenResponse parse(JsonNode json, Instant sentAt) {
        if (json == null || !json.isObject() || !json.path("access_token").isTextual()) {
            return null;
        }
        String token = json.get("access_token").asText();
        Duration expiresIn = seconds(json.get("expires_in"));
        if (expiresIn == null) {
            Instant exp = UnverifiedJwt.read(token).map(UnverifiedJwt::expiresAt).orElse(null);
            if (exp == null) {
                return null;
            }
            expiresIn = Duration.between(sentAt, exp);
        }
        if (expiresIn.isNegative() || expiresIn.isZero()) {
            return null;
        }
        String rt = text(json, "refresh_token");
        return new TokenResponse(Secret.of(token), text(json, "token_type"), expiresIn, seconds(json.get("refresh_after")),
                Scopes.parse(text(json, "scope")), rt == null ? null : Secret.of(rt), text(json, "session_id"),
                seconds(json.get("session_expires_in")), text(json, "tier"), text(json, "task_id"),
                audiences(json.get("audience")), sentAt);
    }

    /** When the access token expires on the client's clock: {@code sentAt + expires_in}. */
    public Instant expiresAt() {
        return sentAt.plus(expiresIn);
    }

    private static Duration seconds(JsonNode n) {
        return n != null && n.canConvertToLong() ? Duration.ofSeconds(n.asLong()) : null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode n = json.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static List<String> audiences(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isTextual()) {
            out.add(n.asText());
        } else if (n != null && n.isArray()) {
            n.forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    @Override
    public String toString() {
        return "TokenResponse[session=" + sessionId + ", task=" + taskId + ", expiresIn=" + expiresIn + ", tokens=redacted]";
    }
}

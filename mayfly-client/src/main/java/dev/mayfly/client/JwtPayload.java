package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.token.ClaimNames;
import dev.mayfly.core.token.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The claims of one's own access token (RFC 9068), read <em>without</em> verifying the signature: only to
 * schedule refreshes of a session handed in from elsewhere, never to trust anything. Fields are null when
 * the token is not a readable JWT.
 */
record JwtPayload(Instant exp, Instant iat, String sessionId, String taskId, List<String> scopes, List<String> audiences) {
    private static final JwtPayload NONE = new JwtPayload(null, null, null, null, List.of(), List.of());

    static JwtPayload read(String compact) {
        String[] parts = compact == null ? new String[0] : compact.split("\\.", -1);
        if (parts.length != 3 || parts[1].length() > 16_384) {
            return NONE;
        }
        try {
            JsonNode c = Json.mapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
            if (c == null || !c.isObject()) {
                return NONE;
            }
            List<String> aud = new ArrayList<>();
            JsonNode a = c.get(ClaimNames.AUDIENCE);
            if (a != null && a.isTextual()) {
                aud.add(a.asText());
            } else if (a != null && a.isArray()) {
                a.forEach(x -> aud.add(x.asText()));
            }
            return new JwtPayload(instant(c.get(ClaimNames.EXPIRES)), instant(c.get(ClaimNames.ISSUED_AT)),
                    text(c, ClaimNames.SESSION), text(c, ClaimNames.TASK), Scopes.parse(text(c, ClaimNames.SCOPE)), aud);
        } catch (IllegalArgumentException | IOException e) {
            return NONE;
        }
    }

    private static Instant instant(JsonNode n) {
        return n != null && n.isNumber() ? Instant.ofEpochSecond(n.asLong()) : null;
    }

    private static String text(JsonNode c, String name) {
        JsonNode n = c.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}

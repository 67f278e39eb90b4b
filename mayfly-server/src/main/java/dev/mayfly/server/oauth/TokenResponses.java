package dev.mayfly.server.oauth;

import dev.mayfly.core.token.Scopes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 6749 §5.1 / RFC 8693 §2.2.1 token responses, with Mayfly's {@code refresh_after} and context. */
final class TokenResponses {
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private TokenResponses() {
    }

    static Map<String, Object> of(AccessTokenMinter.Minted t, String refreshToken, String sessionId, Instant sessionExpiresAt,
                                  Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.token());
        m.put("token_type", t.dpopBound() ? "DPoP" : "Bearer"); // RFC 9449 §5
        m.put("expires_in", t.expiresIn());
        m.put("refresh_after", t.refreshAfter());
        m.put("scope", Scopes.join(t.scopes()));
        if (refreshToken != null) {
            m.put("refresh_token", refreshToken);
        }
        m.put("session_id", sessionId);
        m.put("session_expires_in", Math.max(0, sessionExpiresAt.getEpochSecond() - now.getEpochSecond()));
        m.put("tier", t.decision().tier().wireName());
        m.put("ttl_bound", t.decision().bound().wireName());
        return m;
    }
}

package dev.mayfly.cli.token;

import dev.mayfly.client.AccessToken;
import dev.mayfly.client.UnverifiedJwt;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the CLI shows about a token it holds: what the token says of itself and how long it has, never the token. */
public final class TokenView {
    private TokenView() {
    }

    public static Map<String, Object> of(AccessToken t, Instant now) {
        UnverifiedJwt c = t.claims().orElse(null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent_id", c == null ? null : c.subject());
        m.put("client_id", c == null ? null : c.clientId());
        m.put("session_id", c == null ? null : c.sessionId());
        m.put("task_id", c == null ? null : c.taskId());
        m.put("jti", c == null ? null : c.jti());
        m.put("scopes", c == null ? List.of() : c.scopes());
        m.put("audience", c == null ? List.of() : c.audience());
        m.put("tier", c == null ? null : c.tier());
        m.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("expires_in_s", t.expiresAt() == null ? null : Math.max(0, Duration.between(now, t.expiresAt()).getSeconds()));
        m.put("expired", t.expiresAt() != null && t.isExpired(now));
        return m;
    }
}

package dev.mayfly.server.api;

import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /v1/whoami}: any authentic, unexpired, unrevoked Mayfly token, whatever its audience. */
final class WhoamiApi implements Route {
    private final TokenVerifier anyAudience;
    private final Clock clock;

    WhoamiApi(TokenVerifier anyAudience, Clock clock) {
        this.anyAudience = anyAudience;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) {
        AccessTokenClaims c = V1Auth.require(ex, anyAudience, List.of());
        Instant now = clock.instant();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agent_id", c.subject());
        data.put("client_id", c.clientId());
        data.put("session_id", c.sessionId());
        data.put("task_id", c.taskId());
        data.put("token_kind", c.isTaskToken() ? "task" : "session");
        data.put("scopes", c.scopes());
        data.put("audience", c.audience());
        data.put("tier", c.tier() == null ? null : c.tier().wireName());
        data.put("jti", c.jwtId());
        data.put("issued_at", c.issuedAt() == null ? null : c.issuedAt().toString());
        data.put("expires_at", c.expiresAt().toString());
        data.put("expires_in_s", c.remaining(now).getSeconds());
        data.put("claims", c.toMap());
        Envelopes.ok(ex, data);
    }
}

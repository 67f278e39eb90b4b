package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.audit.AuditEvent;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Router;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/keys} (admin): list the published signing keys with their schedule, and rotate. The next key
 * is published {@code publish_ahead_s} (default 300 s, a JWKS cache lifetime; at least
 * {@link SigningKeyRing#MIN_PUBLISH_AHEAD}) before it signs, and the old one stays published until the last
 * token it signed has expired.
 */
final class KeysApi {
    static final Duration DEFAULT_PUBLISH_AHEAD = Duration.ofMinutes(5);
    private static final List<String> ADMIN = List.of(TtlPolicy.ADMIN_SCOPE);

    private final TokenVerifier verifier;
    private final SigningKeyRing keys;
    private final TtlPolicy policy;
    private final AuditLog audit;

    KeysApi(TokenVerifier verifier, SigningKeyRing keys, TtlPolicy policy, AuditLog audit) {
        this.verifier = verifier;
        this.keys = keys;
        this.policy = policy;
        this.audit = audit;
    }

    void install(Router router) {
        router.add("GET", "/v1/keys", this::list).add("POST", "/v1/keys/rotate", this::rotate);
    }

    private void list(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        keys.reload();
        Envelopes.ok(ex, Map.of("keys", keys.describe()));
    }

    private void rotate(HttpExchange ex) {
        V1Auth.require(ex, verifier, ADMIN);
        JsonNode body = ex.json();
        Duration ahead = DEFAULT_PUBLISH_AHEAD;
        if (body.has("publish_ahead_s")) {
            long s = body.get("publish_ahead_s").asLong(-1);
            if (!body.get("publish_ahead_s").isIntegralNumber() || s < 0 || s > 86_400) { // 60.5 is not whole seconds
                throw new MayflyException(ErrorCode.USAGE, "publish_ahead_s must be whole seconds, at most 86400.");
            }
            ahead = Duration.ofSeconds(s);
            if (ahead.compareTo(SigningKeyRing.MIN_PUBLISH_AHEAD) < 0) {
                throw new MayflyException(ErrorCode.USAGE, SigningKeyRing.publishAheadTooShort("publish_ahead_s " + s));
            }
        }
        Duration lifetime = policy.longestTokenTtl().plus(policy.leeway());
        String kid = keys.rotate(ahead, lifetime);
        audit.append(AuditEvent.of(ex.context(), "key.rotated").detail("kid", kid).detail("publish_ahead_s", ahead.getSeconds()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("kid", kid);
        data.put("keys", keys.describe());
        Envelopes.ok(ex, data);
    }
}

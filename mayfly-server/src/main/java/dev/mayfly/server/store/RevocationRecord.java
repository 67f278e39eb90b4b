package dev.mayfly.server.store;

import dev.mayfly.core.revocation.Revocation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One acknowledged revocation.
 *
 * @param seq         global, monotonically increasing sequence number
 * @param coversUntil when every token it covers has expired (plus leeway); verifiers may forget it after
 */
public record RevocationRecord(
        long seq, Revocation.Granularity kind, String target, String reason, Instant revokedAt, Instant coversUntil) {

    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("kind", kind.wireName());
        m.put("target", target);
        m.put("reason", reason);
        m.put("revoked_at", revokedAt.toString());
        m.put("covers_until", coversUntil.toString());
        return m;
    }
}

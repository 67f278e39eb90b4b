package dev.mayfly.core.revocation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One acknowledged revocation as the broker stores it, lists it ({@code GET /v1/revocations}) and streams it
 * ({@code GET /v1/revocations/stream}); {@link RevocationFeedCodec} reads it back on the other side.
 *
 * @param seq         global, monotonically increasing sequence number
 * @param kind        what it covers
 * @param target      the id of what it covers: a {@code jti}, session, task or agent id
 * @param reason      why, or {@code null}
 * @param revokedAt   when it was acknowledged
 * @param coversUntil when every token it covers has expired (plus leeway); verifiers may forget it after
 */
public record RevocationEvent(
        long seq, Revocation.Granularity kind, String target, String reason, Instant revokedAt, Instant coversUntil) {

    public RevocationEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(coversUntil, "coversUntil");
    }

    /** The JSON object of the API and the feed: {@code seq kind target reason revoked_at covers_until}. */
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

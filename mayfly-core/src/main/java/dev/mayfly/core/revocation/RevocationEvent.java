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
 * @param agentId     the agent the target belongs to, or {@code null} when unknown. For a task it is the task's
 *                    scope: task ids are chosen by agents, so a task id names a task only within its agent, and a
 *                    task revocation covers that agent's tokens for it, no one else's. A task revocation without
 *                    one comes from a broker older than this field and keeps its old meaning (that task id, for
 *                    every agent): readers stay safe by revoking more, never less.
 */
public record RevocationEvent(
        long seq, Revocation.Granularity kind, String target, String reason, Instant revokedAt, Instant coversUntil,
        String agentId) {

    public RevocationEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(coversUntil, "coversUntil");
    }

    /** A revocation whose owning agent is unknown (what a broker older than {@code agent_id} sent). */
    public RevocationEvent(
            long seq, Revocation.Granularity kind, String target, String reason, Instant revokedAt, Instant coversUntil) {
        this(seq, kind, target, reason, revokedAt, coversUntil, null);
    }

    /** True for a task revocation scoped to its agent; false for a legacy one that covers the task id of every agent. */
    public boolean scopedToAgent() {
        return agentId != null;
    }

    /** The JSON object of the API and the feed: {@code seq kind target agent_id reason revoked_at covers_until}. */
    public Map<String, Object> toView() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("kind", kind.wireName());
        m.put("target", target);
        m.put("agent_id", agentId);
        m.put("reason", reason);
        m.put("revoked_at", revokedAt.toString());
        m.put("covers_until", coversUntil.toString());
        return m;
    }
}

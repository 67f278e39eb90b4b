package dev.mayfly.server.store;

import dev.mayfly.core.policy.Tier;
import java.time.Instant;
import java.util.List;

/**
 * A session: one login of one agent, the family of its rotating refresh tokens, with an absolute lifetime, and the
 * least tier its tokens get from what its login attested ({@code attestedTier}, null when none).
 */
public record Session(
        String sessionId,
        String agentId,
        List<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        Instant endedAt,
        String endReason,
        Tier attestedTier) {

    public Session {
        scopes = List.copyOf(scopes);
    }

    /** A session whose login attested nothing that raises its tier. */
    public Session(String sessionId, String agentId, List<String> scopes, Instant createdAt, Instant expiresAt,
                   Instant endedAt, String endReason) {
        this(sessionId, agentId, scopes, createdAt, expiresAt, endedAt, endReason, null);
    }

    public boolean ended() {
        return endedAt != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}

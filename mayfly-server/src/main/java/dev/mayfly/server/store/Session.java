package dev.mayfly.server.store;

import java.time.Instant;
import java.util.List;

/** A session: one login of one agent, the family of its rotating refresh tokens, with an absolute lifetime. */
public record Session(
        String sessionId,
        String agentId,
        List<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        Instant endedAt,
        String endReason) {

    public Session {
        scopes = List.copyOf(scopes);
    }

    public boolean ended() {
        return endedAt != null;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}

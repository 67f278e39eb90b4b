package dev.mayfly.server.store;

import java.time.Instant;

/** One refresh token of a session's family, by hash. {@code usedAt} is set once it has been rotated. */
public record RefreshToken(String tokenHash, String sessionId, int generation, Instant issuedAt, Instant usedAt) {
    public boolean used() {
        return usedAt != null;
    }
}

package dev.mayfly.server.store;

import java.time.Instant;

/**
 * One refresh token of a session's family, by hash. {@code usedAt} is set once it has been rotated;
 * {@code dpopJkt} is the thumbprint of the DPoP key it is bound to (RFC 9449 §5), or {@code null}.
 */
public record RefreshToken(String tokenHash, String sessionId, int generation, Instant issuedAt, Instant usedAt,
                           String dpopJkt) {
    /** A bearer refresh token (bound to no DPoP key). */
    public RefreshToken(String tokenHash, String sessionId, int generation, Instant issuedAt, Instant usedAt) {
        this(tokenHash, sessionId, generation, issuedAt, usedAt, null);
    }

    public boolean used() {
        return usedAt != null;
    }
}

package dev.mayfly.server.oauth;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.store.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** Issues the next refresh token of a session's family (generation 0 at login, +1 on every rotation). */
final class RefreshTokens {
    private RefreshTokens() {
    }

    static OpaqueSecret issue(Connection c, SessionStore sessions, String sessionId, int generation, Instant now)
            throws SQLException {
        return issue(c, sessions, OpaqueSecret.generate(SecretKind.REFRESH_TOKEN), sessionId, generation, now, null);
    }

    /** As {@link #issue(Connection, SessionStore, String, int, Instant)}, bound to the DPoP key {@code dpopJkt} (or none). */
    static OpaqueSecret issue(Connection c, SessionStore sessions, String sessionId, int generation, Instant now,
                              String dpopJkt) throws SQLException {
        return issue(c, sessions, OpaqueSecret.generate(SecretKind.REFRESH_TOKEN), sessionId, generation, now, dpopJkt);
    }

    /**
     * Stores {@code token} (by hash) as the given generation of the session's family, bound to the DPoP key whose
     * thumbprint is {@code dpopJkt} (RFC 9449 §5), or to none when it is {@code null}.
     */
    static OpaqueSecret issue(Connection c, SessionStore sessions, OpaqueSecret token, String sessionId, int generation,
                              Instant now, String dpopJkt) throws SQLException {
        sessions.insertRefreshToken(c, new RefreshToken(token.hash(), sessionId, generation, now, null, dpopJkt));
        return token;
    }
}

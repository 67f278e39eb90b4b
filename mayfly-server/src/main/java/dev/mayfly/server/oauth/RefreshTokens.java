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
        OpaqueSecret token = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN);
        sessions.insertRefreshToken(c, new RefreshToken(token.hash(), sessionId, generation, now, null));
        return token;
    }
}

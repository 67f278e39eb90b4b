package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * SQL for {@code assertion_jtis}: the ids of client assertions already used (RFC 7523 §3 item 7). Remembering
 * is one insert on the primary key, so of two nodes that see the same assertion at once exactly one wins.
 */
public final class AssertionJtiStore {

    /**
     * Records that the assertion {@code (issuer, jti)} was used, valid until {@code expiresAt}; false when it
     * was used before and has not yet expired (a replay). A row whose assertion already expired is taken over:
     * such an assertion could no longer log in anyway.
     */
    public boolean remember(Connection c, String issuer, String jti, Instant expiresAt, Instant now) throws SQLException {
        // ON CONFLICT ... DO UPDATE ... WHERE: the same statement on SQLite (3.24+) and PostgreSQL (9.5+);
        // it changes a row (count 1) only when there was none or the one there is expired.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO assertion_jtis (issuer, jti, expires_at) VALUES (?,?,?)"
                + " ON CONFLICT (issuer, jti) DO UPDATE SET expires_at = excluded.expires_at"
                + " WHERE assertion_jtis.expires_at < ?")) {
            ps.setString(1, issuer);
            ps.setString(2, jti);
            ps.setLong(3, expiresAt.toEpochMilli());
            ps.setLong(4, now.toEpochMilli());
            return ps.executeUpdate() == 1;
        }
    }

    /** Forgets assertions that expired before {@code now}; the number forgotten. */
    public int forgetExpired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM assertion_jtis WHERE expires_at < ?")) {
            ps.setLong(1, now.toEpochMilli());
            return ps.executeUpdate();
        }
    }
}

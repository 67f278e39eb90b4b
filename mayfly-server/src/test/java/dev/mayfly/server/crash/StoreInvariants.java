package dev.mayfly.server.crash;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * What must hold in the database after any crash, read straight from the tables (SQLite file or
 * PostgreSQL) with plain JDBC: every session has its refresh-token family, each family is whole
 * (generations 0..n, exactly one unused token, the newest), and every session, rotation and revocation has
 * its audit record, because they commit in one transaction.
 */
final class StoreInvariants {
    private final String jdbcUrl;
    private final Properties props = new Properties();

    private StoreInvariants(String jdbcUrl, String user) {
        this.jdbcUrl = jdbcUrl;
        if (user != null) {
            props.setProperty("user", user);
        }
    }

    static StoreInvariants sqlite(java.nio.file.Path file) {
        return new StoreInvariants("jdbc:sqlite:" + file.toAbsolutePath(), null);
    }

    static StoreInvariants postgres(String jdbcUrl, String user) {
        return new StoreInvariants(jdbcUrl, user);
    }

    /** The violations found; empty when the store is consistent. */
    List<String> violations() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            rows(c, "SELECT s.session_id FROM sessions s WHERE NOT EXISTS"
                    + " (SELECT 1 FROM refresh_tokens r WHERE r.session_id = s.session_id)")
                    .forEach(s -> out.add("session " + s + " has no refresh token"));
            rows(c, "SELECT session_id FROM refresh_tokens GROUP BY session_id HAVING MIN(generation) <> 0"
                    + " OR COUNT(*) <> MAX(generation) + 1 OR COUNT(DISTINCT generation) <> COUNT(*)"
                    + " OR SUM(CASE WHEN used_at IS NULL THEN 1 ELSE 0 END) <> 1")
                    .forEach(s -> out.add("the refresh-token family of session " + s + " is not whole"));
            rows(c, "SELECT r.session_id FROM refresh_tokens r WHERE r.used_at IS NULL AND r.generation <>"
                    + " (SELECT MAX(g.generation) FROM refresh_tokens g WHERE g.session_id = r.session_id)")
                    .forEach(s -> out.add("session " + s + " has an unused refresh token older than its newest"));
            rows(c, "SELECT s.session_id FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM audit_events a"
                    + " WHERE a.event = 'session.started' AND a.session_id = s.session_id)")
                    .forEach(s -> out.add("session " + s + " has no session.started audit record"));
            // every token.refreshed record is a rotation or a retry within the reuse grace (counted on the row)
            rows(c, "SELECT r.session_id FROM refresh_tokens r GROUP BY r.session_id"
                    + " HAVING MAX(r.generation) + SUM(r.grace_replays) <>"
                    + " (SELECT COUNT(*) FROM audit_events a WHERE a.event = 'token.refreshed' AND a.session_id = r.session_id)")
                    .forEach(s -> out.add("session " + s + ": rotations and token.refreshed audit records differ"));
            long revocations = count(c, "SELECT COUNT(*) FROM revocations");
            long audited = count(c, "SELECT COUNT(*) FROM audit_events WHERE event = 'revocation.created'");
            if (revocations != audited) {
                out.add(revocations + " revocations but " + audited + " revocation.created audit records");
            }
        }
        return out;
    }

    /** The access-token ids that have an audit record. */
    Set<String> auditedJtis() throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, props)) {
            return new HashSet<>(rows(c, "SELECT jti FROM audit_events WHERE jti IS NOT NULL"));
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

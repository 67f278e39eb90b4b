package dev.mayfly.server.store;

import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** SQL for the revocation log. The sequence number is the database's, so it is global and monotonic. */
public final class RevocationStore {
    private static final String COLUMNS = "seq, kind, target, reason, revoked_at, covers_until, agent_id";

    /**
     * Appends a revocation and returns it with its sequence number.
     *
     * @param agentId the agent the target belongs to (a task's scope; required for a task), or null when unknown
     */
    public RevocationEvent append(Connection c, Revocation.Granularity kind, String target, String agentId, String reason,
                                   Instant revokedAt, Instant until) throws SQLException {
        if (kind == Revocation.Granularity.TASK && agentId == null) {
            throw new IllegalArgumentException("a task revocation needs the agent whose task it is");
        }
        // Stored as epoch millis: return exactly what a later read gives back.
        Instant at = revokedAt.truncatedTo(ChronoUnit.MILLIS);
        Instant coversUntil = until.truncatedTo(ChronoUnit.MILLIS);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO revocations (kind, target, reason, revoked_at, covers_until, agent_id) VALUES (?,?,?,?,?,?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, kind.wireName());
            ps.setString(2, target);
            ps.setString(3, reason);
            ps.setLong(4, at.toEpochMilli());
            ps.setLong(5, coversUntil.toEpochMilli());
            ps.setString(6, agentId);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no sequence number returned for revocation");
                }
                return new RevocationEvent(keys.getLong(1), kind, target, reason, at, coversUntil, agentId);
            }
        }
    }

    /** Revocations after {@code sinceSeq}, in sequence order, at most {@code limit}. */
    public List<RevocationEvent> since(Connection c, long sinceSeq, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM revocations WHERE seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, sinceSeq);
            ps.setInt(2, limit);
            return list(ps);
        }
    }

    /** Revocations still covering live tokens at {@code now}: what a verifier's in-memory set must hold. */
    public List<RevocationEvent> active(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM revocations WHERE covers_until > ? ORDER BY seq")) {
            ps.setLong(1, now.toEpochMilli());
            return list(ps);
        }
    }

    /** The highest sequence number so far, 0 when nothing was ever revoked. */
    public long latestSeq(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM revocations");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** True when the target was ever revoked. */
    public boolean exists(Connection c, Revocation.Granularity kind, String target) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM revocations WHERE kind = ? AND target = ? LIMIT 1")) {
            ps.setString(1, kind.wireName());
            ps.setString(2, target);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * True when this agent's task was ever revoked (task ids stay revoked for good). A task revocation written
     * before task ids were scoped (no agent) counts for every agent.
     */
    public boolean taskRevoked(Connection c, String agentId, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM revocations WHERE kind = ? AND target = ?"
                + " AND (agent_id = ? OR agent_id IS NULL) LIMIT 1")) {
            ps.setString(1, Revocation.Granularity.TASK.wireName());
            ps.setString(2, taskId);
            ps.setString(3, agentId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<RevocationEvent> list(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<RevocationEvent> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new RevocationEvent(rs.getLong("seq"),
                        Revocation.Granularity.fromWire(rs.getString("kind")).orElseThrow(
                                () -> new SQLException("unknown revocation kind in the store")),
                        rs.getString("target"), rs.getString("reason"),
                        Rows.instant(rs, "revoked_at"), Rows.instant(rs, "covers_until"), rs.getString("agent_id")));
            }
            return out;
        }
    }
}

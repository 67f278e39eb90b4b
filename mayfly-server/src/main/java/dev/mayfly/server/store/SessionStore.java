package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for sessions and their refresh-token families. */
public final class SessionStore {
    private static final String SESSION_COLUMNS =
            "session_id, agent_id, scopes, created_at, expires_at, ended_at, end_reason, attested_tier";

    public void insert(Connection c, Session s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO sessions (" + SESSION_COLUMNS + ") VALUES (?,?,?,?,?,NULL,NULL,?)")) {
            ps.setString(1, s.sessionId());
            ps.setString(2, s.agentId());
            ps.setString(3, Rows.join(s.scopes()));
            ps.setLong(4, s.createdAt().toEpochMilli());
            ps.setLong(5, s.expiresAt().toEpochMilli());
            ps.setString(6, s.attestedTier() == null ? null : s.attestedTier().wireName());
            ps.executeUpdate();
        }
    }

    public Optional<Session> byId(Connection c, String sessionId) throws SQLException {
        try (ReusedStatement s = ReusedStatement.prepare(c, "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE session_id = ?")) {
            PreparedStatement ps = s.statement();
            ps.setString(1, sessionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Sessions not yet past their lifetime, live or ended early (revoked, logged out), newest first: what the
     * console shows, so a revoked session stays on screen as revoked until it would have expired anyway.
     */
    public List<Session> unexpired(Connection c, Instant now, int limit) throws SQLException {
        List<Session> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE expires_at > ? ORDER BY created_at DESC, session_id LIMIT ?")) {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(map(rs));
                }
            }
        }
        return out;
    }

    /** Ends a live session; true when this call ended it. */
    public boolean end(Connection c, String sessionId, Instant at, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, reason);
            ps.setString(3, sessionId);
            return ps.executeUpdate() == 1;
        }
    }

    /** Ends every live session of an agent and returns the ids it ended. */
    public List<Session> endAllOfAgent(Connection c, String agentId, Instant at, String reason) throws SQLException {
        List<Session> live = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + SESSION_COLUMNS + " FROM sessions WHERE agent_id = ? AND ended_at IS NULL AND expires_at > ?")) {
            ps.setString(1, agentId);
            ps.setLong(2, at.toEpochMilli());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    live.add(map(rs));
                }
            }
        }
        for (Session s : live) {
            end(c, s.sessionId(), at, reason);
        }
        return live;
    }

    public void insertRefreshToken(Connection c, RefreshToken t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO refresh_tokens (token_hash, session_id, generation, issued_at, used_at, dpop_jkt)"
                        + " VALUES (?,?,?,?,NULL,?)")) {
            ps.setString(1, t.tokenHash());
            ps.setString(2, t.sessionId());
            ps.setInt(3, t.generation());
            ps.setLong(4, t.issuedAt().toEpochMilli());
            ps.setString(5, t.dpopJkt());
            ps.executeUpdate();
        }
    }

    public Optional<RefreshToken> refreshTokenByHash(Connection c, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT token_hash, session_id, generation, issued_at, used_at, dpop_jkt FROM refresh_tokens WHERE token_hash = ?")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new RefreshToken(rs.getString("token_hash"), rs.getString("session_id"),
                        rs.getInt("generation"), Rows.instant(rs, "issued_at"), Rows.instant(rs, "used_at"),
                        rs.getString("dpop_jkt")));
            }
        }
    }

    /**
     * Marks a refresh token rotated. Exactly one caller wins for a given token: the update only matches an
     * unused row, so a concurrent second presentation sees zero rows and is treated as reuse.
     */
    public boolean markUsed(Connection c, String hash, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, hash);
            return ps.executeUpdate() == 1;
        }
    }

    /**
     * Counts one replay of a rotated refresh token within the reuse grace, when it qualifies: it was rotated
     * at or after {@code rotatedNotBefore}, has been replayed fewer than {@code maxReplays} times, and its
     * successor (by hash, of the next generation in the same session) is still unused, i.e. the presented
     * token is the immediate predecessor of the live one. One conditional update, so concurrent presentations
     * on any number of nodes agree.
     *
     * @return true when the replay is granted
     */
    public boolean replayWithinGrace(Connection c, String predecessorHash, String successorHash, String sessionId,
                                     int successorGeneration, Instant rotatedNotBefore, int maxReplays) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE refresh_tokens SET grace_replays = grace_replays + 1"
                        + " WHERE token_hash = ? AND session_id = ? AND used_at IS NOT NULL AND used_at >= ?"
                        + " AND grace_replays < ?"
                        + " AND EXISTS (SELECT 1 FROM refresh_tokens s WHERE s.token_hash = ? AND s.session_id = ?"
                        + " AND s.generation = ? AND s.used_at IS NULL)")) {
            ps.setString(1, predecessorHash);
            ps.setString(2, sessionId);
            ps.setLong(3, rotatedNotBefore.toEpochMilli());
            ps.setInt(4, maxReplays);
            ps.setString(5, successorHash);
            ps.setString(6, sessionId);
            ps.setInt(7, successorGeneration);
            return ps.executeUpdate() == 1;
        }
    }

    private static Session map(ResultSet rs) throws SQLException {
        return new Session(rs.getString("session_id"), rs.getString("agent_id"), Rows.list(rs.getString("scopes")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "ended_at"),
                rs.getString("end_reason"),
                rs.getString("attested_tier") == null ? null : dev.mayfly.core.policy.Tier.parse(rs.getString("attested_tier")));
    }
}

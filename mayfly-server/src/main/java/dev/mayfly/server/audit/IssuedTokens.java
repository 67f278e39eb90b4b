package dev.mayfly.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Optional;

/**
 * What the broker issued under a {@code jti}, read from the audit trail: the broker keeps no table of access
 * tokens, but records every issuance (login, refresh, exchange) with its agent, session, task and expiry. Lets a
 * revocation by bare {@code jti} know whose token it is (so an agent may revoke its own task tokens, and the
 * revocation's records name what they cover). Empty when the trail holds no issuance of it (an unknown jti, or
 * the trail disabled for a benchmark). Stateless.
 */
public final class IssuedTokens {
    private static final String SQL = "SELECT agent_id, session_id, task_id, details FROM audit_events WHERE jti = ?"
            + " AND event IN ('session.started', 'token.refreshed', 'token.exchanged') ORDER BY seq LIMIT 1";

    /** One issued access token, as its issuance record names it. */
    public record IssuedToken(String jti, String agentId, String sessionId, String taskId, Instant expiresAt) {
    }

    public Optional<IssuedToken> byJti(Connection c, String jti) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, jti);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new IssuedToken(jti, rs.getString("agent_id"), rs.getString("session_id"),
                        rs.getString("task_id"), expiresAt(rs.getString("details"))));
            }
        }
    }

    private static Instant expiresAt(String details) {
        try {
            JsonNode at = details == null ? null : Json.mapper().readTree(details).get("expires_at");
            return at == null || !at.isTextual() ? null : Instant.parse(at.asText());
        } catch (IOException | DateTimeException e) {
            return null; // the bound is an optimisation; without it the entry lives as long as the longest token
        }
    }
}

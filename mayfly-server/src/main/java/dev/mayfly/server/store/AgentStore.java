package dev.mayfly.server.store;

import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.AgentKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for the {@code agents} table. Methods take the caller's connection so they join its transaction. */
public final class AgentStore {
    private static final String COLUMNS =
            "agent_id, client_id, name, kind, scopes, audiences, secret_hash, created_at, disabled_at, "
                    + "federated_issuer, federated_claims, public_jwk";
    /** What secret_hash holds for an agent without a client secret (see V8): no SHA-256 hex is empty. */
    private static final String NO_SECRET = "";

    public void insert(Connection c, Agent a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO agents (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
            ps.setString(1, a.agentId());
            ps.setString(2, a.clientId());
            ps.setString(3, a.name());
            ps.setString(4, a.kind().wireName());
            ps.setString(5, Rows.join(a.scopes()));
            ps.setString(6, Rows.join(a.audiences()));
            ps.setString(7, a.hasSecret() ? a.secretHash() : NO_SECRET);
            ps.setLong(8, a.createdAt().toEpochMilli());
            if (a.disabledAt() == null) {
                ps.setNull(9, Types.BIGINT);
            } else {
                ps.setLong(9, a.disabledAt().toEpochMilli());
            }
            setTrust(ps, 10, a.trust());
            ps.executeUpdate();
        }
    }

    /** Replaces the agent's assertion trust; true when the agent exists. */
    public boolean updateTrust(Connection c, String agentId, AgentTrust trust) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE agents SET federated_issuer = ?, federated_claims = ?, public_jwk = ? WHERE agent_id = ?")) {
            setTrust(ps, 1, trust);
            ps.setString(4, agentId);
            return ps.executeUpdate() == 1;
        }
    }

    private static void setTrust(PreparedStatement ps, int first, AgentTrust t) throws SQLException {
        ps.setString(first, t.federatedIssuer());
        ps.setString(first + 1, t.federated() ? Json.write(t.federatedClaims()) : null);
        ps.setString(first + 2, t.publicJwk());
    }

    public Optional<Agent> byId(Connection c, String agentId) throws SQLException {
        return one(c, "agent_id", agentId);
    }

    public Optional<Agent> byClientId(Connection c, String clientId) throws SQLException {
        return one(c, "client_id", clientId);
    }

    /** The agent whose client secret hashes to this (a leaked secret's owner). */
    public Optional<Agent> bySecretHash(Connection c, String sha256Hex) throws SQLException {
        if (sha256Hex == null || sha256Hex.equals(NO_SECRET)) {
            return Optional.empty(); // agents without a secret all hold NO_SECRET; none of them owns "no secret"
        }
        return one(c, "secret_hash", sha256Hex);
    }

    public Optional<Agent> byName(Connection c, String name) throws SQLException {
        return one(c, "name", name);
    }

    /** Agents in creation order, after the given agent id (keyset pagination), at most {@code limit}. */
    public List<Agent> list(Connection c, String afterAgentId, int limit) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM agents"
                + (afterAgentId == null ? "" : " WHERE agent_id > ?") + " ORDER BY agent_id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (afterAgentId != null) {
                ps.setString(i++, afterAgentId);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                List<Agent> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(map(rs));
                }
                return out;
            }
        }
    }

    /** How many enabled agents hold {@code scope}; reads every enabled agent's scopes (an admin action, not a hot path). */
    public int enabledWithScope(Connection c, String scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT scopes FROM agents WHERE disabled_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            int n = 0;
            while (rs.next()) {
                if (Rows.list(rs.getString("scopes")).contains(scope)) {
                    n++;
                }
            }
            return n;
        }
    }

    /** Marks the agent disabled; true when this call disabled it (false if already disabled or unknown). */
    public boolean disable(Connection c, String agentId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE agents SET disabled_at = ? WHERE agent_id = ? AND disabled_at IS NULL")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, agentId);
            return ps.executeUpdate() == 1;
        }
    }

    private Optional<Agent> one(Connection c, String column, String value) throws SQLException {
        try (ReusedStatement s = ReusedStatement.prepare(c, "SELECT " + COLUMNS + " FROM agents WHERE " + column + " = ?")) {
            PreparedStatement ps = s.statement();
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(map(rs)) : Optional.empty();
            }
        }
    }

    private static Agent map(ResultSet rs) throws SQLException {
        return new Agent(
                rs.getString("agent_id"),
                rs.getString("client_id"),
                rs.getString("name"),
                AgentKind.parse(rs.getString("kind")),
                Rows.list(rs.getString("scopes")),
                Rows.list(rs.getString("audiences")),
                NO_SECRET.equals(rs.getString("secret_hash")) ? null : rs.getString("secret_hash"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "disabled_at"),
                trust(rs));
    }

    private static AgentTrust trust(ResultSet rs) throws SQLException {
        String issuer = rs.getString("federated_issuer");
        String claims = rs.getString("federated_claims");
        String jwk = rs.getString("public_jwk");
        if (issuer == null && jwk == null) {
            return AgentTrust.NONE;
        }
        Map<String, String> rules = new LinkedHashMap<>();
        if (claims != null) {
            try {
                Json.mapper().readTree(claims).fields().forEachRemaining(e -> rules.put(e.getKey(), e.getValue().asText()));
            } catch (java.io.IOException e) {
                throw new SQLException("agents.federated_claims is not a JSON object", e);
            }
        }
        return new AgentTrust(issuer, rules, jwk);
    }
}

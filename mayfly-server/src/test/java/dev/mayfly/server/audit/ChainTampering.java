package dev.mayfly.server.audit;

import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What someone who can write the audit tables, but does not hold the master key, can do to a node's chain:
 * edit a record and recompute the chain from there with plain SHA-256 (the best a writer without the key can
 * do), or cut the tail off and make the head row agree. Plain JDBC on the broker's own database.
 */
final class ChainTampering {
    private ChainTampering() {
    }

    /** The records of {@code node}, in chain order. */
    static List<AuditRecord> chain(Connection c, String node) throws SQLException {
        List<AuditRecord> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditLog.COLUMNS
                + " FROM audit_events WHERE node_id = ? ORDER BY node_seq")) {
            ps.setString(1, node);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(AuditLog.map(rs));
                }
            }
        }
        return out;
    }

    /** Rewrites record {@code nodeSeq}'s details and recomputes every later link and the head row with SHA-256. */
    static void editAndRecompute(Connection c, String node, long nodeSeq, String forgedDetails) throws SQLException {
        exec(c, "UPDATE audit_events SET details = '" + forgedDetails + "' WHERE node_id = '" + node + "' AND node_seq = "
                + nodeSeq);
        List<AuditRecord> records = chain(c, node);
        String prev = records.get((int) nodeSeq - 1).prevHash();
        for (AuditRecord r : records.subList((int) nodeSeq - 1, records.size())) {
            String hash = Secret.sha256Hex(prev + "\n" + Json.write(r.canonicalKeyed()));
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE node_id = ? AND node_seq = ?")) {
                ps.setString(1, prev);
                ps.setString(2, hash);
                ps.setString(3, node);
                ps.setLong(4, r.nodeSeq());
                ps.executeUpdate();
            }
            prev = hash;
        }
        setHead(c, node, records.size(), prev);
    }

    /** The same on the legacy chain, whose hashes were plain SHA-256 all along (so its recomputation is exact). */
    static void editAndRecomputeLegacy(Connection c, long nodeSeq, String forgedDetails) throws SQLException {
        String node = AuditNodeId.LEGACY;
        exec(c, "UPDATE audit_events SET details = '" + forgedDetails + "' WHERE node_id = '" + node + "' AND node_seq = "
                + nodeSeq);
        List<AuditRecord> records = chain(c, node);
        String prev = records.get((int) nodeSeq - 1).prevHash();
        for (AuditRecord r : records.subList((int) nodeSeq - 1, records.size())) {
            String hash = AuditChainKey.legacyRecord(prev, r);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_events SET prev_hash = ?, hash = ? WHERE node_id = ? AND node_seq = ?")) {
                ps.setString(1, prev);
                ps.setString(2, hash);
                ps.setString(3, node);
                ps.setLong(4, r.nodeSeq());
                ps.executeUpdate();
            }
            prev = hash;
        }
    }

    /** Deletes the last {@code n} records of {@code node} and makes its head row name the new last one. */
    static void truncate(Connection c, String node, int n) throws SQLException {
        List<AuditRecord> records = chain(c, node);
        AuditRecord last = records.get(records.size() - 1 - n);
        exec(c, "DELETE FROM audit_events WHERE node_id = '" + node + "' AND node_seq > " + last.nodeSeq());
        setHead(c, node, last.nodeSeq(), last.hash());
    }

    static void setHead(Connection c, String node, long seq, String hash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_nodes SET seq = ?, hash = ? WHERE node_id = ?")) {
            ps.setLong(1, seq);
            ps.setString(2, hash);
            ps.setString(3, node);
            ps.executeUpdate();
        }
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}

package dev.mayfly.server.audit;

import dev.mayfly.core.secret.Secret;
import dev.mayfly.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Walks every node's chain in its own order and says, per node, whether it is whole: sequence numbers from 1
 * without a gap, each record linked to its predecessor, each hash right (plain SHA-256 for the legacy chain,
 * HMAC for the others), the head row agreeing with the last record, and the chain reaching (with the same
 * hashes) every head a valid checkpoint names. Each keyed chain starts from the legacy chain's head.
 */
final class AuditChainVerifier {
    private final Database db;
    private final AuditChainKey key;
    private final AuditCheckpoints checkpoints;

    AuditChainVerifier(Database db, AuditChainKey key, AuditCheckpoints checkpoints) {
        this.db = db;
        this.key = key;
        this.checkpoints = checkpoints;
    }

    AuditVerification verify() {
        AuditCheckpoints.Claims claims = checkpoints.claims();
        Map<String, Long> headRows = db.read(AuditChainVerifier::headRows);
        TreeSet<String> nodes = new TreeSet<>(headRows.keySet());
        nodes.addAll(db.read(AuditChainVerifier::nodesWithRecords));
        nodes.addAll(claims.furthest.keySet());
        nodes.remove(AuditNodeId.LEGACY);

        List<AuditVerification.NodeChain> chains = new ArrayList<>();
        AuditVerification.NodeChain legacy = walk(AuditNodeId.LEGACY, false, AuditLog.GENESIS, null, claims);
        if (legacy.records() > 0) {
            chains.add(legacy);
        }
        String legacyHead = legacy.records() > 0 ? legacy.headHash() : AuditLog.GENESIS;
        for (String node : nodes) {
            chains.add(walk(node, true, legacyHead, headRows.get(node), claims));
        }

        long checked = chains.stream().mapToLong(AuditVerification.NodeChain::records).sum();
        AuditVerification.NodeChain bad = chains.stream().filter(n -> !n.valid()).findFirst().orElse(null);
        boolean valid = bad == null && claims.invalid == 0;
        String problem = bad != null ? "node " + bad.node() + ": " + bad.problem() : claims.problem;
        StringBuilder heads = new StringBuilder();
        chains.forEach(n -> heads.append(n.node()).append(' ').append(n.headSeq()).append(' ').append(n.headHash()).append('\n'));
        return new AuditVerification(valid, checked, bad == null ? null : bad.firstBadSeq(), problem,
                Secret.sha256Hex(heads.toString()), chains, new AuditVerification.Checkpoints(claims.inDatabase,
                        claims.inFiles, claims.invalid, claims.newest == null ? null : claims.newest.toString()));
    }

    private AuditVerification.NodeChain walk(String node, boolean keyed, String start, Long headRow,
                                             AuditCheckpoints.Claims claims) {
        AuditCheckpoints.Claim claim = claims.furthest.get(node);
        Long claimed = claim == null ? null : claim.seq();
        return db.readInBatches(c -> {
            String prev = start;
            long expected = 1;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + AuditLog.COLUMNS
                    + " FROM audit_events WHERE node_id = ? ORDER BY node_seq")) {
                ps.setString(1, node);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditRecord r = AuditLog.map(rs);
                        long checked = expected - 1;
                        String broken = null;
                        if (r.nodeSeq() != expected) {
                            broken = "record " + expected + " is missing (next present is " + r.nodeSeq() + ")";
                        } else if (!r.prevHash().equals(prev)) {
                            broken = "record " + r.nodeSeq() + " does not follow its predecessor (deleted or reordered records)";
                        } else if (!(keyed ? key.record(prev, r) : AuditChainKey.legacyRecord(prev, r)).equals(r.hash())) {
                            broken = "record " + r.nodeSeq() + " was modified";
                        } else if (claim != null && claim.seq() == r.nodeSeq() && !claim.hash().equals(r.hash())) {
                            broken = "record " + r.nodeSeq() + " is not the one " + claim.where() + " names (rewritten, or cut off and appended to again)";
                        }
                        if (broken != null) {
                            return new AuditVerification.NodeChain(node, keyed, checked, checked, prev, claimed, false,
                                    r.seq(), r.nodeSeq(), broken);
                        }
                        prev = r.hash();
                        expected++;
                    }
                }
            }
            long head = expected - 1;
            String missing = null;
            // The head row was read before the walk: under live appends the chain may be longer, never shorter.
            if (headRow != null && headRow > head) {
                missing = "records after " + head + " are missing (the node's head row says " + headRow + ")";
            } else if (claim != null && claim.seq() > head) {
                missing = "records after " + head + " are missing (" + claim.where() + " names record " + claim.seq()
                        + "): the chain was truncated";
            }
            return new AuditVerification.NodeChain(node, keyed, head, head, prev, claimed, missing == null, null,
                    missing == null ? null : head + 1, missing);
        });
    }

    private static Map<String, Long> headRows(Connection c) throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT node_id, seq FROM audit_nodes"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    private static List<String> nodesWithRecords(Connection c) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT node_id FROM audit_events"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        return nodes;
    }
}

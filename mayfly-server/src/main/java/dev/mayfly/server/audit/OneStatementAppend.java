package dev.mayfly.server.audit;

import dev.mayfly.server.store.ReusedStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * PostgreSQL's append in one statement instead of three (read and lock the node's head, insert, move the head):
 * a node is the only writer of its own chain, so the head it last wrote is nearly always the head in the
 * database. The record is chained onto that remembered head in memory, and one statement moves the head and
 * inserts the record, both only if the head in the database is still exactly the remembered one (sequence number
 * and hash), which the head row's lock makes atomic. When it is not (the first append after start, a transaction
 * that was rolled back after its append, another transaction of this node that appended meanwhile) the statement
 * changes nothing and returns no row, and the caller appends the long way. So the remembered head is only a
 * guess: a wrong one costs a statement, never a broken chain.
 *
 * <p>SQLite has no data-modifying {@code WITH}; it keeps the three statements (in-process calls there).
 * Thread-safe: the remembered head is one volatile value.
 */
final class OneStatementAppend {
    /** A node's chain head: its last sequence number and that record's hash. */
    private record Head(long seq, String hash) {
    }

    /** Chains an event onto a head: the record as the node's {@code nodeSeq}-th, after {@code prevHash}, hashed. */
    @FunctionalInterface
    interface Chain {
        AuditRecord onto(long nodeSeq, String prevHash);
    }

    private final String nodeId;
    private final String sql;
    private volatile Head last;

    OneStatementAppend(String nodeId, String insertColumns) {
        this.nodeId = nodeId;
        int columns = insertColumns.split(",").length;
        this.sql = "WITH head AS (UPDATE audit_nodes SET seq = ?, hash = ? WHERE node_id = ? AND seq = ? AND hash = ?"
                + " RETURNING node_id)"
                + " INSERT INTO audit_events (" + insertColumns + ") SELECT " + "?,".repeat(columns - 1) + "? FROM head"
                + " RETURNING seq";
    }

    /**
     * Appends the record {@code chain} makes of the remembered head, in one statement; null when no head is
     * remembered or the database's head is another (nothing was written: append the long way).
     */
    AuditRecord append(Connection c, Chain chain) throws SQLException {
        Head guess = last;
        if (guess == null) {
            return null;
        }
        AuditRecord r = chain.onto(guess.seq() + 1, guess.hash());
        try (ReusedStatement s = ReusedStatement.prepare(c, sql)) {
            PreparedStatement ps = s.statement();
            ps.setLong(1, r.nodeSeq());
            ps.setString(2, r.hash());
            ps.setString(3, nodeId);
            ps.setLong(4, guess.seq());
            ps.setString(5, guess.hash());
            AuditLog.bind(ps, 6, r);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? AuditLog.stored(r, rs.getLong(1)) : null;
            }
        }
    }

    /** Remembers the head this node just wrote (in a transaction that may yet roll back: it is only a guess). */
    void wrote(AuditRecord r) {
        last = new Head(r.nodeSeq(), r.hash());
    }
}

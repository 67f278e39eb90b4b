package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Checks, the way an issuance would, whether this node can write a token's records now: a pooled
 * connection within the connection bound, a writable primary (after a failover a node may still be
 * connected to a server that became a read-only standby) and, on PostgreSQL, this node's audit chain head
 * row within the lock bound (every issuance of this node locks it; no other node ever does, so only a stalled
 * session of this node's own can hold it). Nothing is written: the probe's transaction is rolled back.
 */
public final class DatabaseProbe {
    private final Database db;
    private final String auditNodeId;

    /** @param auditNodeId the audit chain this node appends to ({@code audit_nodes.node_id}) */
    public DatabaseProbe(Database db, String auditNodeId) {
        this.db = db;
        this.auditNodeId = auditNodeId;
    }

    /**
     * What the database can do for this node now. A check that could not run because an earlier one failed
     * is {@code null} (unknown), not false.
     */
    public record Result(boolean reachable, Boolean writable, Boolean auditLock, Boolean schemaCurrent) {
        static Result unreachable() {
            return new Result(false, null, null, null);
        }
    }

    public Result probe() {
        try (Connection c = db.dataSource().getConnection()) {
            boolean current = SchemaVersion.applied(c).compareTo(db.expectedSchema()) >= 0;
            if (db.dialect() != Dialect.POSTGRESQL) {
                return new Result(true, true, true, current); // one process: SQLite's write lock is not shared
            }
            if (readOnly(c)) {
                db.evict(c); // a session on a standby: the next connection may reach the (new) primary
                return new Result(true, false, null, current);
            }
            return new Result(true, true, auditLockFree(c), current);
        } catch (SQLException e) {
            return Result.unreachable();
        }
    }

    private static boolean readOnly(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SHOW transaction_read_only"); ResultSet rs = ps.executeQuery()) {
            return rs.next() && "on".equals(rs.getString(1));
        }
    }

    /** Locks and at once lets go of this node's audit head row; false when it cannot be had within lock_timeout. */
    private boolean auditLockFree(Connection c) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_nodes WHERE node_id = ? FOR UPDATE")) {
            ps.setString(1, auditNodeId);
            ps.executeQuery().close();
            return true;
        } catch (SQLException e) {
            if (Dialect.isLockTimeout(e)) {
                return false;
            }
            throw e;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }
}

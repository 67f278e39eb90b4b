package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * What differs between the two databases Mayfly runs on; everything else is the same SQL. Schema
 * differences are Flyway placeholders; concurrency differences are {@link #lock}.
 */
public enum Dialect {
    SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT"),
    POSTGRESQL("BIGSERIAL PRIMARY KEY");

    /** Locks that serialise writers across broker nodes, held until the transaction ends. */
    public enum Lock {
        /**
         * The single audit chain's lock before per-node chains (schema V10): no longer taken by any append. The
         * key stays reserved so it is never reused for something else while older nodes may still run.
         */
        AUDIT_CHAIN(7_211_001L),
        /** Appending a revocation: sequence numbers must commit in order, or a stream reader could skip one. */
        REVOCATION_LOG(7_211_002L),
        /** Creating or rotating signing keys. */
        SIGNING_KEYS(7_211_003L);

        private final long key;

        Lock(long key) {
            this.key = key;
        }

        /** The advisory lock's key on PostgreSQL (operators see it in {@code pg_locks.objid}). */
        public long key() {
            return key;
        }
    }

    private final String serialPrimaryKey;

    Dialect(String serialPrimaryKey) {
        this.serialPrimaryKey = serialPrimaryKey;
    }

    Map<String, String> placeholders() {
        return Map.of("serial_pk", serialPrimaryKey);
    }

    /**
     * Takes a transaction-scoped lock. On SQLite every write transaction already holds the database's one
     * write lock ({@code BEGIN IMMEDIATE}), so this is a no-op; on PostgreSQL it is an advisory lock.
     */
    public void lock(Connection c, Lock lock) throws SQLException {
        if (this == POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                ps.setLong(1, lock.key);
                ps.executeQuery().close();
            }
        }
    }

    /** Wakes the other broker nodes after commit (PostgreSQL {@code NOTIFY}); a no-op on single-node SQLite. */
    public void notifyRevocation(Connection c, long seq) throws SQLException {
        if (this == POSTGRESQL) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + REVOCATION_CHANNEL + "', ?)")) {
                ps.setString(1, Long.toString(seq));
                ps.executeQuery().close();
            }
        }
    }

    /** The PostgreSQL channel revocations are announced on. */
    public static final String REVOCATION_CHANNEL = "mayfly_revocations";

    /** True when PostgreSQL gave up waiting for a lock ({@code lock_timeout}, SQLSTATE 55P03). */
    public static boolean isLockTimeout(SQLException e) {
        return "55P03".equals(e.getSQLState());
    }

    /**
     * True when a statement failed because the database is out of reach or past a bound: a lock or statement
     * timeout, a session PostgreSQL ended (idle in transaction too long, shut down) or a lost connection. Such
     * a failure is the database's, not the unit of work's: the rest of a batch would only wait for it again.
     */
    public static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        if (state == null) {
            return false;
        }
        return state.equals("55P03") // lock_not_available: lock_timeout
                || state.equals("57014") // query_canceled: statement_timeout
                || state.equals("25P03") // idle_in_transaction_session_timeout
                || state.equals("25006") // read_only_sql_transaction: a standby (a demoted primary after failover)
                || state.startsWith("57P") // admin shutdown, crash shutdown, cannot connect now
                || state.startsWith("08"); // connection exceptions
    }

    /** True for a unique-constraint violation (an insert that lost a race or a duplicate name). */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState())
                || (e.getMessage() != null && e.getMessage().contains("UNIQUE constraint failed"));
    }
}

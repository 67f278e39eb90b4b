package dev.mayfly.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sqlite.SQLiteConnection;

/**
 * A prepared statement for fixed SQL on the hot path, kept with its physical SQLite connection and reused
 * by the next request that borrows that connection. SQLite compiles a statement from its text every time
 * it is prepared and sqlite-jdbc keeps no cache: under token-exchange load the prepares of the agent and
 * session reads and the audit append were ~10% of the broker's CPU (BENCHMARKS.md). PostgreSQL's driver
 * caches server-side prepared statements itself, so there this is a plain prepare and close.
 *
 * <p>Statements are prepared on the unwrapped connection, so the pool does not close them when the
 * connection goes back; a connection is used by one thread at a time, so a statement is never shared.
 * Use it like a statement of one's own, in try-with-resources: closing clears the parameters.
 */
public final class ReusedStatement implements AutoCloseable {
    /** Per live physical connection (identity), its statements by SQL text. */
    private static final Map<Connection, Map<String, PreparedStatement>> CACHE = new ConcurrentHashMap<>();

    private final PreparedStatement statement;
    private final boolean reused;

    private ReusedStatement(PreparedStatement statement, boolean reused) {
        this.statement = statement;
        this.reused = reused;
    }

    public static ReusedStatement prepare(Connection c, String sql) throws SQLException {
        if (!c.isWrapperFor(SQLiteConnection.class)) {
            return new ReusedStatement(c.prepareStatement(sql), false);
        }
        Connection physical = c.unwrap(SQLiteConnection.class);
        Map<String, PreparedStatement> statements = CACHE.get(physical);
        if (statements == null) {
            forgetClosedConnections(); // a new connection: the pool may have retired others since the last one
            statements = CACHE.computeIfAbsent(physical, k -> new ConcurrentHashMap<>());
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = physical.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return new ReusedStatement(ps, true);
    }

    private static void forgetClosedConnections() throws SQLException {
        for (Connection known : CACHE.keySet()) {
            if (known.isClosed()) {
                CACHE.remove(known); // closing the connection finalized its statements
            }
        }
    }

    /** True when statements are kept for this physical connection (for tests). */
    static boolean keepsStatementsOf(Connection physical) {
        return CACHE.containsKey(physical);
    }

    public PreparedStatement statement() {
        return statement;
    }

    @Override
    public void close() throws SQLException {
        if (reused) {
            statement.clearParameters();
        } else {
            statement.close();
        }
    }
}

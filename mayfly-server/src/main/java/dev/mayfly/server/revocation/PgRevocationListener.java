package dev.mayfly.server.revocation;

import dev.mayfly.server.store.DatabaseTimeouts;
import dev.mayfly.server.store.Dialect;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on PostgreSQL's revocation channel on a dedicated connection and syncs this node as soon as
 * another node commits a revocation (LISTEN/NOTIFY). It also syncs every second without a notification,
 * so a dropped connection or a missed notification delays a revocation by at most that, never loses it.
 * Reconnects with backoff while the database is down.
 */
public final class PgRevocationListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PgRevocationListener.class);
    private static final int POLL_MS = 1000;

    private final String jdbcUrl;
    private final Properties credentials;
    private final RevocationSync sync;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Connection connection;

    public PgRevocationListener(String jdbcUrl, String user, String password, DatabaseTimeouts timeouts,
                                RevocationSync sync) {
        this.jdbcUrl = jdbcUrl;
        // The pool's connect and socket bounds and keepalives: a dead database is noticed here too.
        this.credentials = timeouts.driverProperties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        this.sync = sync;
        this.thread = new Thread(this::run, "mayfly-pg-listen");
        this.thread.setDaemon(true);
    }

    public PgRevocationListener start() {
        thread.start();
        return this;
    }

    private void run() {
        long backoffMs = 100;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, credentials)) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Dialect.REVOCATION_CHANNEL);
                }
                backoffMs = 100;
                PGConnection pg = c.unwrap(PGConnection.class);
                while (!closed) {
                    safeSync(); // also covers what was committed while (re)connecting
                    // Returns at the first notification, or after the poll interval with none.
                    pg.getNotifications(POLL_MS);
                }
            } catch (SQLException e) {
                if (!closed) {
                    LOG.warn("revocation listener lost the database ({}); retrying in {} ms", e.getSQLState(), backoffMs);
                    safeSync();
                    sleep(backoffMs);
                    backoffMs = Math.min(5000, backoffMs * 2);
                }
            }
        }
    }

    private void safeSync() {
        try {
            sync.sync();
        } catch (RuntimeException e) {
            LOG.debug("revocation sync failed: {}", e.toString());
        }
    }

    private static void sleep(long ms) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ms)); // close() interrupts, which unparks
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing on shutdown; nothing to do
            }
        }
    }
}

package dev.mayfly.server.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How long a broker node may wait on PostgreSQL, and so on another node: every wait has a bound, so a
 * stalled node or database costs this node's requests a 503 {@code UNAVAILABLE}, never an unbounded hang.
 *
 * <ul>
 *   <li>{@code connectionWait}: for a pooled connection (HikariCP {@code connectionTimeout}); with the database
 *       down, requests fail after this.</li>
 *   <li>{@code lockWait}: for a row or advisory lock ({@code lock_timeout}); a node that holds the audit chain's
 *       lock and stalls (GC pause, frozen VM) delays the others by at most this per attempt.</li>
 *   <li>{@code statement}: for one statement ({@code statement_timeout}); longer than {@code lockWait}, which
 *       it includes.</li>
 *   <li>{@code idleInTransaction}: how long PostgreSQL lets a session sit idle inside a transaction
 *       ({@code idle_in_transaction_session_timeout}) before it ends the session and frees its locks: what
 *       ends a stalled node's hold on a lock the others need.</li>
 *   <li>{@code connect}: to open a TCP connection and log in (pgjdbc {@code connectTimeout}/{@code loginTimeout},
 *       whole seconds).</li>
 *   <li>{@code socket}: for any read from the server (pgjdbc {@code socketTimeout}, whole seconds): the last
 *       resort against a frozen server or a network that drops packets, which no server-side timeout covers.
 *       Longer than {@code statement}, or a slow statement would cost its connection.</li>
 * </ul>
 *
 * TCP keepalives are on, so a peer that vanished is eventually noticed on idle connections too. Immutable.
 */
public record DatabaseTimeouts(Duration connectionWait, Duration lockWait, Duration statement,
                               Duration idleInTransaction, Duration connect, Duration socket) {
    /** HikariCP refuses to wait less than this for a connection. */
    private static final Duration HIKARI_FLOOR = Duration.ofMillis(250);

    public DatabaseTimeouts {
        Objects.requireNonNull(connectionWait, "connectionWait");
        Objects.requireNonNull(lockWait, "lockWait");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(idleInTransaction, "idleInTransaction");
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(socket, "socket");
        if (connectionWait.compareTo(HIKARI_FLOOR) < 0) {
            throw new IllegalArgumentException("connectionWait must be at least " + HIKARI_FLOOR.toMillis() + " ms");
        }
        if (statement.compareTo(lockWait) <= 0) {
            throw new IllegalArgumentException("statement must be longer than lockWait (a lock wait is part of a statement)");
        }
        if (socket.compareTo(statement) <= 0) {
            throw new IllegalArgumentException("socket must be longer than statement");
        }
        if (lockWait.isNegative() || lockWait.isZero() || idleInTransaction.isNegative() || idleInTransaction.isZero()) {
            throw new IllegalArgumentException("lockWait and idleInTransaction must be positive (zero means no bound)");
        }
    }

    /** The broker's defaults: see docs/deploy.md#timeouts. */
    public static DatabaseTimeouts defaults() {
        return new DatabaseTimeouts(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    /** The same, with other server-side bounds (the operator's {@code --db-*-timeout} options). */
    public DatabaseTimeouts withServerSide(Duration lock, Duration statementBound, Duration idle) {
        return new DatabaseTimeouts(connectionWait, lock, statementBound, idle, connect,
                statementBound.compareTo(socket) < 0 ? socket : statementBound.plusSeconds(3));
    }

    /**
     * The session settings every pooled connection starts with (HikariCP {@code connectionInitSql}). Set per
     * session rather than per database so they hold whatever the database's own defaults are.
     */
    String sessionSettingsSql() {
        return "SET lock_timeout = " + lockWait.toMillis()
                + "; SET statement_timeout = " + statement.toMillis()
                + "; SET idle_in_transaction_session_timeout = " + idleInTransaction.toMillis();
    }

    /**
     * pgjdbc's client-side timeouts and keepalives, for every connection a node opens (the pool's and the
     * revocation listener's). Parameters in the JDBC URL take precedence, so an operator can override them.
     */
    public Properties driverProperties() {
        Properties p = new Properties();
        p.setProperty("connectTimeout", Long.toString(wholeSeconds(connect)));
        p.setProperty("loginTimeout", Long.toString(wholeSeconds(connect)));
        p.setProperty("socketTimeout", Long.toString(wholeSeconds(socket)));
        p.setProperty("tcpKeepAlive", "true");
        return p;
    }

    private static long wholeSeconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}

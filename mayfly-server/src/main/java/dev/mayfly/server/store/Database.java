package dev.mayfly.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The broker's database: a pooled {@link DataSource}, migrated by Flyway on open, and the one place that
 * runs units of work in transactions. SQLite runs in WAL mode with {@code synchronous=FULL}, so a
 * committed revocation survives a power cut, and with {@code BEGIN IMMEDIATE} transactions, so two
 * writers queue on the lock instead of failing half-way.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final MigrationVersion expectedSchema;

    private Database(HikariDataSource dataSource, Dialect dialect, MigrationVersion expectedSchema) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.expectedSchema = expectedSchema;
    }

    /** Opens (creating if needed) the SQLite database file and migrates it to the current schema. */
    public static Database openSqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("mayfly-sqlite");
        hikari.setConnectionTimeout(10_000);
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        return open(hikari, Dialect.SQLITE, file.toString(), null);
    }

    /**
     * Opens a PostgreSQL database ({@code jdbc:postgresql://...}) with the default {@link DatabaseTimeouts}
     * and migrates it. The password comes separately (environment or file), never inside a command line.
     */
    public static Database openPostgres(String jdbcUrl, String user, String password, int poolSize) {
        return openPostgres(jdbcUrl, user, password, poolSize, DatabaseTimeouts.defaults());
    }

    /** Opens a PostgreSQL database with these bounds on every wait (see {@link DatabaseTimeouts}) and migrates it. */
    public static Database openPostgres(String jdbcUrl, String user, String password, int poolSize,
                                        DatabaseTimeouts timeouts) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        hikari.setPoolName("mayfly-postgresql");
        // While the database is down, requests fail with UNAVAILABLE after this, rather than hanging.
        hikari.setConnectionTimeout(timeouts.connectionWait().toMillis());
        hikari.setValidationTimeout(timeouts.connectionWait().toMillis());
        // Idle connections are pinged, so one the network or a failover silently dropped is replaced
        // before a request borrows it.
        hikari.setKeepaliveTime(30_000);
        hikari.setDataSourceProperties(timeouts.driverProperties());
        hikari.setConnectionInitSql(timeouts.sessionSettingsSql());
        hikari.setExceptionOverride(new DemotedPrimaryEviction());
        hikari.setMaximumPoolSize(poolSize);
        hikari.setMinimumIdle(1);
        // Fail fast at start if the database is unreachable, rather than on the first request.
        hikari.setInitializationFailTimeout(10_000);
        // Migrations run on connections of their own, without the request path's statement and lock bounds:
        // a migration may rightly take longer than any request should, and runs under Flyway's own lock.
        Flyway flyway = flyway(Flyway.configure().dataSource(jdbcUrl, user, password), Dialect.POSTGRESQL);
        return open(hikari, Dialect.POSTGRESQL, redact(jdbcUrl), flyway);
    }

    private static Flyway flyway(org.flywaydb.core.api.configuration.FluentConfiguration config, Dialect dialect) {
        return config.locations("classpath:db/migration/common").placeholders(dialect.placeholders()).load();
    }

    private static Database open(HikariConfig hikari, Dialect dialect, String where, Flyway migrations) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                    "Cannot connect to the database at " + where + ": " + rootMessage(e)).retryAfterMs(5000).build(), e);
        }
        Flyway flyway = migrations != null ? migrations : flyway(Flyway.configure().dataSource(pool), dialect);
        MigrationVersion expected;
        try {
            flyway.migrate();
            expected = SchemaVersion.expected(flyway);
        } catch (RuntimeException e) {
            pool.close();
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot migrate the database at " + where + ": " + rootMessage(e)), e);
        }
        return new Database(pool, dialect, expected);
    }

    /** A JDBC URL without any password parameter, for messages. */
    static String redact(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                c.rollback();
                if (Dialect.isUniqueViolation(e)) {
                    throw new MayflyException(MayflyError.of(ErrorCode.CONFLICT, "That already exists."), e);
                }
                throw e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Runs a read outside an explicit transaction. */
    public <T> T read(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /**
     * Runs a read of many rows, fetched in batches (the statement's fetch size), in a read-only transaction
     * that is rolled back: on PostgreSQL only a transaction gets a cursor, and with a cursor every batch is a
     * statement of its own, so {@code statement_timeout} bounds each batch rather than the whole walk.
     */
    public <T> T readInBatches(SqlWork<T> work) {
        if (dialect != Dialect.POSTGRESQL) {
            return read(work); // SQLite streams rows anyway, and a transaction would take its write lock
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            try {
                return work.run(c);
            } finally {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** Closes a pooled connection instead of returning it to the pool (one to a server that cannot serve us). */
    void evict(Connection c) {
        dataSource.evictConnection(c);
    }

    /** The schema version this build migrated to at start (the newest migration it ships). */
    public MigrationVersion expectedSchema() {
        return expectedSchema;
    }

    private static MayflyException unavailable(SQLException e) {
        return new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE, "The database is unavailable or busy.")
                .retryAfterMs(1000)
                .build(), e);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    /** A unit of database work. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}

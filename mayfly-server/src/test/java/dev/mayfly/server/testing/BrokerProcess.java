package dev.mayfly.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A broker node running as a separate JVM (see {@link BrokerMain}); killable with SIGKILL. */
public final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path home;

    private BrokerProcess(Process process, int port, Path home) {
        this.process = process;
        this.port = port;
        this.home = home;
    }

    public static BrokerProcess start(String jdbcUrl, String issuer, String masterKey, Map<String, String> extra) {
        try {
            return start(Files.createTempDirectory("mayfly-node"), jdbcUrl, issuer, masterKey, extra);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a node on the given home (reused across restarts, as after a crash); {@code jdbcUrl} null means
     * SQLite in that home.
     */
    public static BrokerProcess start(Path home, String jdbcUrl, String issuer, String masterKey, Map<String, String> extra) {
        try {
            int port = freePort();
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), BrokerMain.class.getName(),
                    "--home", home.toString(), "--listen", "127.0.0.1:" + port, "--issuer", issuer));
            if (jdbcUrl != null) {
                cmd.add("--db");
                cmd.add(jdbcUrl);
            }
            extra.forEach((k, v) -> {
                cmd.add(k);
                cmd.add(v);
            });
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.PIPE);
            pb.environment().put("MAYFLY_MASTER_KEY", masterKey);
            Process p = pb.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Path log = home.resolve("broker-" + p.pid() + ".log");
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("READY")) {
                    break;
                }
            }
            if (line == null) {
                throw new IllegalStateException("broker process died before it was ready:\n" + seen);
            }
            Thread drain = new Thread(() -> {
                try {
                    Files.writeString(log, seen);
                    String l;
                    while ((l = out.readLine()) != null) {
                        Files.writeString(log, l + "\n", java.nio.file.StandardOpenOption.APPEND);
                    }
                } catch (IOException ignored) {
                    // the process was killed
                }
            }, "broker-log-" + port);
            drain.setDaemon(true);
            drain.start();
            return new BrokerProcess(p, port, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path home() {
        return home;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * SIGKILL: no shutdown hook, no graceful close ({@link Process#destroyForcibly} on Unix sends SIGKILL).
     *
     * @return the exit value: 137 (128 + SIGKILL) on Linux, -1 if the process did not end in time
     */
    public int kill() {
        process.destroyForcibly();
        try {
            return process.waitFor(10, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        kill();
    }
}

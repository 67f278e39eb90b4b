package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/mayfly server} starts the broker with the memory-bounding JVM flags of docs/operations.md, and
 * {@code MAYFLY_SERVER_JVM_OPTS} replaces them. The launcher execs java, so the started process is the JVM
 * whose command line is checked.
 */
class ServerLauncherIT {
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void serverGetsTheMemoryBoundingFlags() throws Exception {
        List<String> jvm = startAndReadJvmArgs(null);

        assertThat(jvm).contains("-Xmx256m", "-Xms256m", "-XX:+UseParallelGC", "-XX:MaxMetaspaceSize=128m",
                "-XX:+ExitOnOutOfMemoryError");
        assertThat(jvm).doesNotContain("-XX:TieredStopAtLevel=1"); // the CLI's quick-start flags are not for it
    }

    @Test
    void serverJvmOptsReplaceTheDefaults() throws Exception {
        List<String> jvm = startAndReadJvmArgs("-Xmx300m -XX:+UseSerialGC");

        assertThat(jvm).contains("-Xmx300m", "-XX:+UseSerialGC");
        assertThat(jvm).doesNotContain("-Xmx256m", "-XX:+UseParallelGC");
    }

    /** Starts a broker through the launcher, waits for /healthz, returns the JVM's arguments, stops it. */
    private List<String> startAndReadJvmArgs(String serverJvmOpts) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(Cli.LAUNCHER.toString(), "server", "--listen", "127.0.0.1:" + port,
                "--home", dir.resolve("home").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile());
        pb.environment().put("MAYFLY_JAR", Cli.JAR.toString());
        pb.environment().remove("MAYFLY_JAVA_OPTS");
        pb.environment().remove("MAYFLY_SERVER_JVM_OPTS");
        if (serverJvmOpts != null) {
            pb.environment().put("MAYFLY_SERVER_JVM_OPTS", serverJvmOpts);
        }
        Process p = pb.start();
        try {
            awaitHealthy(p, URI.create("http://127.0.0.1:" + port + "/healthz"));
            String cmdline = Files.readString(Path.of("/proc/" + p.pid() + "/cmdline"));
            List<String> args = List.of(cmdline.split("\0"));
            return args.subList(0, args.indexOf("-jar"));
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private void awaitHealthy(Process p, URI health) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("broker exited: %s", log()).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // polling for start-up, not waiting out an expiry
        }
        throw new AssertionError("broker did not answer /healthz within " + START_DEADLINE + ": " + log());
    }

    private String log() throws IOException {
        return Files.readString(dir.resolve("server.log"));
    }
}

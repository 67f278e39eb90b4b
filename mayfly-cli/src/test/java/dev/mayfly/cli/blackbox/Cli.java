package dev.mayfly.cli.blackbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded {@code mayfly.jar} as a subprocess against a {@link BrokerExtension} broker, through the
 * module's launcher ({@code bin/mayfly}: the same jar, with an AppCDS archive built on its first run, which
 * also puts the launcher under test). Time is shared
 * through the CLI's test seam: the broker's {@code ManualClock} instant is written to the file named by
 * {@code MAYFLY_FAKE_NOW_FILE} whenever the test moves it, so nobody sleeps for an expiry. A {@code mayfly}
 * wrapper on the subprocesses' PATH runs the same jar, for commands that run mayfly (exec, run, conform).
 */
final class Cli {
    static final Path JAR = Path.of(System.getProperty("mayfly.jar", "target/mayfly.jar")).toAbsolutePath();
    /** The module's launcher (bin/mayfly): the jar with an AppCDS archive and quick-start JVM flags. */
    static final Path LAUNCHER = JAR.getParent().resolveSibling("bin").resolve("mayfly");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final BrokerExtension broker;
    private final Path dir;
    private final Path nowFile;
    private final Path bin;

    Cli(BrokerExtension broker, Path dir) {
        this.broker = broker;
        this.dir = dir;
        try {
            this.nowFile = dir.resolve("now");
            this.bin = Files.createDirectories(dir.resolve("bin"));
            script("mayfly", "MAYFLY_JAR='" + JAR + "' exec '" + LAUNCHER + "' \"$@\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        syncClock();
    }

    Path dir() {
        return dir;
    }

    Path bin() {
        return bin;
    }

    /** Writes an executable script into the subprocesses' PATH. */
    Path script(String name, String body) {
        Path p = bin.resolve(name);
        try {
            Files.writeString(p, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Tells the CLI the broker's time, atomically (a reader never sees a half-written instant). */
    void syncClock() {
        try {
            Path tmp = dir.resolve("now.tmp");
            Files.writeString(tmp, broker.clock().instant().toString());
            Files.move(tmp, nowFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves the broker's clock and the CLI's with it. */
    void advance(Duration d) {
        broker.clock().advance(d);
        syncClock();
    }

    /** A fresh, empty MAYFLY_HOME. */
    Path newHome(String name) {
        try {
            return Files.createDirectories(dir.resolve("homes").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A home holding the broker's admin.json, for admin commands. */
    Path adminHome() {
        Path home = newHome("admin-" + System.nanoTime());
        try {
            Files.copy(broker.home().resolve("admin.json"), home.resolve("admin.json"));
            Files.setPosixFilePermissions(home.resolve("admin.json"), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    Invocation in(Path home) {
        return new Invocation(home);
    }

    /** Registers an agent through the broker's API; returns agent_id, client_id, client_secret. */
    JsonNode createAgent(String name, List<String> scopes, List<String> audiences) {
        return broker.client().createAgent(broker.client().adminToken(broker.adminCredentials()), name, "interactive",
                scopes, audiences);
    }

    /** {@code mayfly auth login} in this home as this agent; returns the login's data. */
    JsonNode login(Path home, JsonNode agent) {
        return in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText())
                .run("auth", "login").data();
    }

    /** One invocation's settings. */
    final class Invocation {
        private final Path home;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String stdin = "";

        Invocation(Path home) {
            this.home = home;
        }

        Invocation env(String name, String value) {
            env.put(name, value);
            return this;
        }

        Invocation stdin(String text) {
            this.stdin = text;
            return this;
        }

        Map<String, String> environment() {
            Map<String, String> e = new HashMap<>(System.getenv());
            e.keySet().removeIf(k -> k.startsWith("MAYFLY_"));
            e.put("PATH", bin + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            e.put("MAYFLY_URL", broker.issuer());
            e.put("MAYFLY_HOME", home.toString());
            e.put("MAYFLY_FAKE_NOW_FILE", nowFile.toString());
            e.put("MAYFLY_JAR", JAR.toString());
            e.putAll(env);
            return e;
        }

        List<String> argv(String... args) {
            List<String> argv = new ArrayList<>(List.of(LAUNCHER.toString()));
            argv.addAll(List.of(args));
            return argv;
        }

        /** Starts the jar and leaves the process to the caller (streams, signals). */
        Process start(String... args) {
            ProcessBuilder pb = new ProcessBuilder(argv(args));
            pb.environment().clear();
            pb.environment().putAll(environment());
            try {
                return pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        CliResult run(String... args) {
            Process p = start(args);
            return finish(p, stdin);
        }

        /** Plain {@code java -jar mayfly.jar ARGS}, without the launcher. */
        CliResult runJar(String... args) {
            List<String> argv = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
            argv.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().clear();
            pb.environment().putAll(environment());
            try {
                return finish(pb.start(), stdin);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Pipe readers: one thread each, never the (single-threaded on two cores) common pool. */
    private static final java.util.concurrent.ExecutorService READERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cli-pipe-reader");
        t.setDaemon(true);
        return t;
    });

    static CliResult finish(Process p, String stdin) {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS);
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // The process may not read stdin at all.
        }
        try {
            if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                // Only now: destroying a process also closes its pipes under any reader still draining them.
                p.destroyForcibly();
                throw new AssertionError("mayfly did not finish within " + DEADLINE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return new CliResult(p.exitValue(), out.join(), err.join());
    }

    /** Ends a started process and everything it started, when a test fails before it ended on its own. */
    static void reap(Process p) {
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}

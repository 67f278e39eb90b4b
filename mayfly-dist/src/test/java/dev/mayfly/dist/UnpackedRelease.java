package dev.mayfly.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The release tarball unpacked into an empty directory, and its commands run as a user without a JDK would
 * run them: an environment of {@code PATH} (no JDK on it), {@code HOME} and nothing else (no
 * {@code JAVA_HOME}), plus what a test adds.
 */
final class UnpackedRelease implements AutoCloseable {
    private static final long COMMAND_SECONDS = 60;

    private final Path root;
    private final Path path;
    private final Path home;

    private UnpackedRelease(Path root, Path path, Path home) {
        this.root = root;
        this.path = path;
        this.home = home;
    }

    /** Unpacks with the system's tar, as a user would, so that the modes and layout tested are the tarball's. */
    static UnpackedRelease unpack(Path tarball, Path dir) throws Exception {
        assertThat(tarball).as("the tarball (built in package)").isRegularFile();
        Path into = Files.createDirectories(dir.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as("tar: %s", out).isZero();
        List<Path> top;
        try (var s = Files.list(into)) {
            top = s.toList();
        }
        assertThat(top).as("one top directory").hasSize(1);
        Path home = Files.createDirectories(dir.resolve("home"));
        return new UnpackedRelease(top.get(0), JdkFreePath.create(dir.resolve("path")), home);
    }

    /**
     * Waits for the launcher's background start-up archive builder (bin/mayfly) to end, so that JUnit's temp-dir
     * cleanup does not race it; then removes the PATH directory's links, which that cleanup would warn about one
     * by one.
     */
    @Override
    public void close() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3 * COMMAND_SECONDS);
        while (archiveBuilderRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100); // another process's work, not a clock
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try (var links = Files.list(path)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                Files.delete(link);
            }
        }
    }

    /** A process of this release's launcher still running (its archive builder), or the builder's JVMs. */
    private boolean archiveBuilderRunning() {
        String here = root.toString();
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine()
                .filter(c -> c.contains(here))
                .filter(c -> c.contains("bin/mayfly") || c.contains("StartupTraining") || c.contains("-Xshare:dump"))
                .isPresent());
    }

    Path root() {
        return root;
    }

    Path file(String relative) {
        return root.resolve(relative);
    }

    /** The environment of {@code env -i PATH=... HOME=...}, plus {@code extra}. */
    Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", path.toString());
        env.put("HOME", home.toString());
        env.putAll(extra);
        return env;
    }

    ProcessBuilder command(Map<String, String> extra, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve(args[0]).toString());
        cmd.addAll(List.of(args).subList(1, args.length));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().clear();
        pb.environment().putAll(environment(extra));
        return pb;
    }

    /** Runs {@code args[0]} (a path inside the release) to completion. */
    Result run(Map<String, String> extra, String... args) throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process p = command(extra, args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", args) + " did not finish within " + COMMAND_SECONDS + " s");
        }
        return new Result(p.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        String s = Files.readString(file);
        Files.delete(file);
        return s;
    }

    record Result(int exit, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }
}

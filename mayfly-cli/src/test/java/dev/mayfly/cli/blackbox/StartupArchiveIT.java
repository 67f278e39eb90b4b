package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's start-up archive (bin/mayfly): built from the training run, so that it holds the classes of a
 * command that calls the broker even when the first command run did not; rebuilt when the jar changes; and never
 * in the way: a missing, unwritable or damaged archive leaves the CLI working, with nothing on stdout but the
 * envelope. Each test runs a copy of the jar in its own directory, where the launcher puts the archive.
 */
class StartupArchiveIT {
    private static final Duration BACKGROUND_BUILD = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    private Path jar() throws IOException {
        Path copy = dir.resolve("mayfly.jar");
        if (!Files.exists(copy)) {
            Files.copy(Cli.JAR, copy);
        }
        return copy;
    }

    private CliResult launch(Map<String, String> env, String... args) throws IOException {
        List<String> argv = new ArrayList<>(List.of(Cli.LAUNCHER.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        Map<String, String> e = pb.environment();
        e.keySet().removeIf(k -> k.startsWith("MAYFLY_"));
        e.put("MAYFLY_JAR", jar().toString());
        e.put("MAYFLY_HOME", dir.resolve("home").toString());
        e.put("HOME", dir.resolve("user").toString());
        e.putAll(env);
        return Cli.finish(pb.start(), "");
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("mayfly-jdk\\d+\\.(jsa|aot)")).toList();
        }
    }

    private static void assertCleanEnvelope(CliResult r, int exit) {
        assertThat(r.exit()).as(r.stderr()).isEqualTo(exit);
        assertThat(r.stdout().trim()).startsWith("{\"ok\":").endsWith("}");
        assertThat(r.stdout().trim().lines()).hasSize(1);
    }

    @Test
    void theArchiveComesFromTheTrainingRunAndHoldsTheHttpClient() throws Exception {
        CliResult first = launch(Map.of("MAYFLY_CDS", "wait"), "errors");

        assertCleanEnvelope(first, 0);
        assertThat(archives()).hasSize(1);
        Path archive = archives().get(0);
        // The first command (errors) loads no HTTP client, yet a whoami against an unreachable broker maps it
        // from the archive; -Xshare:on / AOTMode=on make the JVM refuse to start if the archive were unusable.
        Path log = dir.resolve("classes.log");
        String strict = archive.toString().endsWith(".aot") ? "-XX:AOTMode=on" : "-Xshare:on";
        CliResult whoami = launch(Map.of("MAYFLY_URL", "http://127.0.0.1:9", "MAYFLY_TOKEN", "x",
                "MAYFLY_JAVA_OPTS", strict + " -Xlog:class+load:file=" + log), "whoami");

        assertCleanEnvelope(whoami, 12);
        assertThat(Files.readAllLines(log))
                .anyMatch(l -> l.contains("jdk.internal.net.http.HttpClientImpl ") && l.contains("shared objects file"))
                .anyMatch(l -> l.contains("dev.mayfly.cli.auth.WhoamiCommand ") && l.contains("shared objects file"));
    }

    @Test
    void aRebuiltJarGetsANewArchive() throws Exception {
        assertCleanEnvelope(launch(Map.of("MAYFLY_CDS", "wait"), "--version"), 0);
        Path archive = archives().get(0);
        // A rebuild: the jar is now newer than the archive.
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(jar(), FileTime.from(Instant.now().minusSeconds(30)));

        assertCleanEnvelope(launch(Map.of("MAYFLY_CDS", "wait"), "--version"), 0);

        assertThat(Files.getLastModifiedTime(archive).toInstant())
                .isAfter(Files.getLastModifiedTime(jar()).toInstant());
    }

    @Test
    void theFirstRunDoesNotWaitForTheArchiveWhichIsBuiltInTheBackground() throws Exception {
        CliResult first = launch(Map.of(), "errors");

        assertCleanEnvelope(first, 0);
        // Two niced JVM runs (training, dump) cannot have ended before one short command: had the launcher
        // waited for them, the archive would be here already.
        assertThat(archives()).isEmpty();
        long deadline = System.nanoTime() + BACKGROUND_BUILD.toNanos();
        while (archives().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200); // waiting on another process's work, not on a clock
        }
        assertThat(archives()).hasSize(1);
        // Let the builder release its lock and clean up before @TempDir is deleted.
        while (System.nanoTime() < deadline) {
            try (Stream<Path> files = Files.list(dir)) {
                if (files.noneMatch(p -> p.getFileName().toString().contains(".tmp"))) {
                    break;
                }
            }
            Thread.sleep(200);
        }
        assertCleanEnvelope(launch(Map.of(), "errors"), 0);
    }

    @Test
    void anArchiveThatCannotBeWrittenLeavesTheCliWorking() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("MAYFLY_CDS", "wait");
        env.put("MAYFLY_CDS_ARCHIVE", dir.resolve("no-such-directory").resolve("mayfly.jsa").toString());

        CliResult r = launch(env, "errors");

        assertCleanEnvelope(r, 0);
        assertThat(r.stderr()).isEmpty();
        assertThat(dir.resolve("no-such-directory")).doesNotExist();
    }

    @Test
    void aDamagedArchiveLeavesTheCliWorkingAndQuiet() throws Exception {
        assertCleanEnvelope(launch(Map.of("MAYFLY_CDS", "wait"), "--version"), 0);
        Path archive = archives().get(0);
        byte[] bytes = Files.readAllBytes(archive);
        for (int i = 0; i < 4096 && i < bytes.length; i++) {
            bytes[i] = (byte) ~bytes[i];
        }
        archive.toFile().setWritable(true);
        Files.write(archive, bytes);

        CliResult r = launch(Map.of(), "errors");

        assertCleanEnvelope(r, 0);
        assertThat(r.stderr()).isEmpty();
    }
}

package dev.mayfly.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tarball holds besides a working broker: its layout, modes, completions and systemd unit. */
class TarballLayoutIT {
    @TempDir
    static Path dir;

    static UnpackedRelease release;

    @BeforeAll
    static void unpack() throws Exception {
        release = UnpackedRelease.unpack(Path.of(System.getProperty("dist.tarball")), dir);
    }

    @AfterAll
    static void removePath() throws Exception {
        release.close();
    }

    @Test
    void topDirectoryIsNamedForTheVersion() {
        assertThat(release.root().getFileName().toString()).isEqualTo("mayfly-" + System.getProperty("dist.version"));
    }

    @Test
    void commandsAndTheRuntimesHelpersAreExecutable() {
        assertThat(release.file("bin/mayfly")).isExecutable();
        assertThat(release.file("bin/mayfly-healthcheck")).isExecutable();
        assertThat(release.file("runtime/bin/java")).isExecutable();
        // ProcessBuilder starts children through it: 'mayfly exec' and 'mayfly run' need it.
        assertThat(release.file("runtime/lib/jspawnhelper")).isExecutable();
        assertThat(release.file("lib/mayfly.jar")).isRegularFile().isReadable();
        assertThat(release.file("README.md")).isRegularFile();
    }

    @Test
    void theRuntimeIsTrimmedAndHasItsOwnCdsArchive() throws Exception {
        String release = Files.readString(TarballLayoutIT.release.file("runtime/release"));
        assertThat(release).contains("jdk.crypto.ec").contains("java.sql").doesNotContain("jdk.compiler", "jdk.jshell");
        assertThat(TarballLayoutIT.release.file("runtime/lib/server/classes.jsa")).isRegularFile();
    }

    @Test
    void versionComesFromTheBundledRuntime() throws Exception {
        UnpackedRelease.Result version = release.run(Map.of(), "bin/mayfly", "--version");
        assertThat(version.exit()).as("%s", version).isZero();
        assertThat(version.stdout()).contains("\"version\":\"" + System.getProperty("dist.version") + "\"");
    }

    @Test
    void completionsForEachShellCoverTheCommands() throws Exception {
        for (String file : new String[] {"mayfly.bash", "_mayfly", "mayfly.fish"}) {
            assertThat(Files.readString(release.file("completions/" + file))).as(file)
                    .contains("whoami").contains("server").contains("completion");
        }
        assertThat(Files.readString(release.file("completions/_mayfly"))).startsWith("#compdef mayfly");
    }

    @Test
    void systemdUnitRunsTheBrokerUnprivilegedInAHardenedSandbox() throws Exception {
        String unit = Files.readString(release.file("systemd/mayfly.service"));
        assertThat(unit).containsPattern("(?m)^User=mayfly$")
                .containsPattern("(?m)^ExecStart=/opt/mayfly/bin/mayfly server ")
                .containsPattern("(?m)^StateDirectory=mayfly$")
                .containsPattern("(?m)^ProtectSystem=strict$")
                .containsPattern("(?m)^NoNewPrivileges=yes$")
                .containsPattern("(?m)^PrivateTmp=yes$")
                .containsPattern("(?m)^CapabilityBoundingSet=$")
                .containsPattern("(?m)^SuccessExitStatus=143$")
                .doesNotContainPattern("(?m)^MemoryDenyWriteExecute=yes"); // the JIT needs it off
    }
}

package dev.mayfly.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.server.testing.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as a user gets it: the tarball unpacked into an empty directory, run with no JDK on
 * {@code PATH} and no {@code JAVA_HOME}. The broker starts from it, answers {@code /readyz}, the bundled CLI
 * logs in with client credentials (over plain HTTP, and over TLS with an EC certificate, which needs the
 * runtime's EC provider), and SIGTERM stops it cleanly.
 */
class TarballIT {
    /** What the JVM exits with after a clean SIGTERM shutdown (128 + 15); systemd's unit accepts it as success. */
    private static final int SIGTERM_EXIT = 143;

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
    void brokerStartsFromTheTarballWithNoJdkAndTheBundledCliLogsIn() throws Exception {
        Path run = Files.createDirectories(dir.resolve("http"));
        ReleaseBroker broker = ReleaseBroker.start(release, run, null);
        try {
            assertThat(Path.of("/proc/" + broker.pid() + "/exe").toRealPath())
                    .as("the JVM is the bundled runtime").isEqualTo(release.file("runtime/bin/java").toRealPath());

            Path secret = Files.writeString(run.resolve("secret"), broker.admin("client_secret"));
            Map<String, String> client = Map.of("MAYFLY_URL", broker.url().toString(),
                    "MAYFLY_HOME", run.resolve("client-home").toString());
            UnpackedRelease.Result login = release.run(client, "bin/mayfly", "auth", "login",
                    "--client-id", broker.admin("client_id"), "--client-secret-file", secret.toString());
            assertThat(login.exit()).as("%s", login).isZero();
            assertThat(login.stdout()).startsWith("{\"ok\":true");

            UnpackedRelease.Result whoami = release.run(client, "bin/mayfly", "whoami");
            assertThat(whoami.exit()).as("%s", whoami).isZero();
            assertThat(whoami.stdout()).contains(broker.admin("client_id"));

            UnpackedRelease.Result health = release.run(Map.of(), "bin/mayfly-healthcheck", broker.url().getAuthority());
            assertThat(health.exit()).as("the container's HEALTHCHECK command: %s", health).isZero();
        } finally {
            assertThat(broker.stop()).as("exit after SIGTERM: %s", broker.log()).isEqualTo(SIGTERM_EXIT);
        }
        assertThat(broker.log()).doesNotContain("Exception", "\tat ");
        UnpackedRelease.Result down = release.run(Map.of(), "bin/mayfly-healthcheck", broker.url().getAuthority());
        assertThat(down.exit()).as("healthcheck of a stopped broker: %s", down).isEqualTo(1);
    }

    @Test
    void tlsWithAnEcCertificateWorksOnTheBundledRuntime() throws Exception {
        Path run = Files.createDirectories(dir.resolve("tls"));
        TestCertificates certs = TestCertificates.create(run.resolve("certs"));
        ReleaseBroker broker = ReleaseBroker.start(release, run, certs.clientContext(),
                certs.file("ec-chain.pem").toString(), certs.file("ec-key-sec1.pem").toString());
        try {
            Path secret = Files.writeString(run.resolve("secret"), broker.admin("client_secret"));
            UnpackedRelease.Result login = release.run(Map.of("MAYFLY_URL", broker.url().toString(),
                            "MAYFLY_HOME", run.resolve("client-home").toString(), "MAYFLY_CA_FILE", certs.caFile().toString()),
                    "bin/mayfly", "auth", "login", "--client-id", broker.admin("client_id"),
                    "--client-secret-file", secret.toString());
            assertThat(login.exit()).as("%s", login).isZero();
        } finally {
            assertThat(broker.stop()).as("exit after SIGTERM: %s", broker.log()).isEqualTo(SIGTERM_EXIT);
        }
    }
}

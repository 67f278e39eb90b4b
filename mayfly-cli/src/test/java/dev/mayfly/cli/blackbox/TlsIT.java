package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a broker serving HTTPS with a certificate from a private CA, trusted via MAYFLY_CA_FILE. */
class TlsIT {
    static final TestCertificates CERTS = TestCertificates.create(tempDir());

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.tls(CERTS.rsaChain(), CERTS.rsaKey()))
            .trusting(CERTS.clientContext());

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        agent = cli.createAgent("tls-agent", List.of("orders:read"), List.of());
    }

    @Test
    void loginAndWhoamiOverHttpsWithThePrivateCa() {
        assertThat(broker.issuer()).startsWith("https://");
        Path home = cli.newHome("tls");
        CliResult login = cli.in(home).env("MAYFLY_CA_FILE", CERTS.caFile().toString())
                .env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login");
        login.data();
        CliResult whoami = cli.in(home).env("MAYFLY_CA_FILE", CERTS.caFile().toString()).run("whoami");
        assertThat(whoami.data().get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        whoami.assertNoSecrets();
    }

    @Test
    void withoutTheCaTheHandshakeFailureSaysWhatToSet() {
        Path home = cli.newHome("untrusted");
        CliResult r = cli.in(home).env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login");
        JsonNode e = r.error("PRECONDITION", 4);
        assertThat(e.get("message").asText()).contains("MAYFLY_CA_FILE");
        assertThat(r.stderr()).doesNotContain("\tat ");
    }

    @Test
    void aMissingOrBadCaFileIsACleanError() throws IOException {
        Path home = cli.newHome("bad-ca");
        CliResult missing = cli.in(home).env("MAYFLY_CA_FILE", dir.resolve("nope.pem").toString())
                .env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login");
        missing.error("NOT_FOUND", 5);
        Path junk = Files.writeString(dir.resolve("junk.pem"), "hello\n");
        CliResult bad = cli.in(home).env("MAYFLY_CA_FILE", junk.toString())
                .env("MAYFLY_CLIENT_ID", agent.get("client_id").asText())
                .env("MAYFLY_CLIENT_SECRET", agent.get("client_secret").asText()).run("auth", "login");
        bad.error("USAGE", 2);
        assertThat(bad.stderr()).doesNotContain("\tat ");
    }

    @Test
    void theServerRefusesBadTlsFilesWithAUsageErrorNotAStackTrace() throws IOException {
        Path junk = Files.writeString(dir.resolve("cert-junk.pem"), "not a certificate\n");
        CliResult r = cli.in(cli.newHome("server-bad-cert")).run("server", "--listen", "127.0.0.1:0",
                "--home", dir.resolve("server-home-1").toString(), "--tls-cert", junk.toString(),
                "--tls-key", CERTS.rsaKey().toString());
        assertThat(r.error("USAGE", 2).get("message").asText()).contains("holds no PEM certificate");
        assertThat(r.stderr()).doesNotContain("\tat ").doesNotContain("Exception");

        CliResult encrypted = cli.in(cli.newHome("server-enc-key")).run("server", "--listen", "127.0.0.1:0",
                "--home", dir.resolve("server-home-2").toString(), "--tls-cert", CERTS.rsaChain().toString(),
                "--tls-key", CERTS.file("rsa-key-encrypted-pkcs8.pem").toString());
        assertThat(encrypted.error("USAGE", 2).get("message").asText()).contains("encrypted");

        CliResult halfTls = cli.in(cli.newHome("server-half")).run("server", "--listen", "127.0.0.1:0",
                "--home", dir.resolve("server-home-3").toString(), "--tls-cert", CERTS.rsaChain().toString());
        assertThat(halfTls.error("USAGE", 2).get("message").asText()).contains("--tls-key");
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("mayfly-cli-tls");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

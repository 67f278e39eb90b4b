package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** First start: home, master key, signing key at rest, bootstrap admin; and what survives a restart. */
class BootstrapTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void secretFilesAreOwnerOnlyAndTheLogSaysWhereNotWhat() throws Exception {
        Path admin = broker.home().resolve("admin.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(admin))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(broker.home().resolve("master.key"))))
                .isEqualTo("rw-------");
        JsonNode creds = broker.adminCredentials();
        assertThat(creds.get("client_secret").asText()).matches("mfy_cs_[0-9A-Za-z]{38}");
        assertThat(creds.get("client_id").asText()).startsWith("cid_");
        assertThat(broker.logLines()).anyMatch(l -> l.contains(admin.toString()));
        assertThat(String.join("\n", broker.logLines())).doesNotContain(creds.get("client_secret").asText());
    }

    @Test
    void secretsAreStoredHashedAndTheSigningKeyEncrypted() throws Exception {
        String secret = broker.adminCredentials().get("client_secret").asText();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + broker.home().resolve("mayfly.db"));
             ResultSet keys = c.createStatement().executeQuery("SELECT public_jwk, private_jwk_enc FROM signing_keys");
             ) {
            assertThat(keys.next()).isTrue();
            assertThat(keys.getString(1)).doesNotContain("\"d\"");
            assertThat(keys.getString(2)).doesNotContain("\"d\"").doesNotContain("OKP");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + broker.home().resolve("mayfly.db"));
             ResultSet agents = c.createStatement().executeQuery("SELECT secret_hash FROM agents")) {
            while (agents.next()) {
                assertThat(agents.getString(1)).hasSize(64).isNotEqualTo(secret);
            }
        }
        assertThat(Files.readString(broker.home().resolve("mayfly.db"), java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(secret);
    }

    @Test
    void aRestartKeepsKeysAdminAndRevocations() {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "survivor", "interactive", List.of("s:read"), List.of());
        JsonNode s = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        JsonNode other = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        client.postJson("/v1/revocations", admin, Map.of("session_id", other.get("session_id").asText()));
        String adminSecret = broker.adminCredentials().get("client_secret").asText();

        broker.stop();
        broker.start();
        BrokerClient after = broker.client();
        assertThat(broker.adminCredentials().get("client_secret").asText()).isEqualTo(adminSecret);
        // Issued before the restart, still verifies after it: the signing key was persisted.
        assertThat(after.get("/v1/whoami", s.get("access_token").asText()).status()).isEqualTo(200);
        // Revoked before the restart, still revoked after it.
        assertThat(after.get("/v1/whoami", other.get("access_token").asText()).body().at("/error/code").asText())
                .isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void aWrongMasterKeyIsRefusedClearly() {
        Map<String, String> env = Map.of("MAYFLY_MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThatThrownBy(() -> Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(broker.home()).env(env).build()))
                .isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.PRECONDITION))
                .hasMessageContaining("master key");
        Map<String, String> malformed = Map.of("MAYFLY_MASTER_KEY", "too-short");
        assertThatThrownBy(() -> Broker.start(BrokerConfig.builder().listen("127.0.0.1:0").home(broker.home()).env(malformed).build()))
                .isInstanceOf(MayflyException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void nonLoopbackWithoutInsecureIsRefused() {
        assertThatThrownBy(() -> Broker.start(BrokerConfig.builder().listen("0.0.0.0:0").home(broker.home()).env(Map.of()).build()))
                .isInstanceOf(MayflyException.class)
                .satisfies(e -> assertThat(((MayflyException) e).code()).isEqualTo(ErrorCode.PRECONDITION))
                .hasMessageContaining("--insecure");
    }
}

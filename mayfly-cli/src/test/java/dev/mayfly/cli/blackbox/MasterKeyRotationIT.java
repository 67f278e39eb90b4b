package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mayfly keys rotate-master} as the shaded jar on a stopped broker's home: the broker comes back on
 * the new key alone with its old tokens still valid; a second run with the same key changes nothing; a
 * wrong current key, at rotation and at {@code mayfly server} start, is exit 4 with an envelope and no
 * stack trace.
 */
class MasterKeyRotationIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
    }

    @Test
    void theMasterKeyIsRotatedOfflineAndAWrongKeyIsRefusedClearly() throws Exception {
        String admin = broker.client().adminToken(broker.adminCredentials());
        assertThat(broker.client().postJson("/v1/webhooks", admin,
                Map.of("url", "https://127.0.0.1:9/hook", "events", List.of("revocation.created"))).status()).isEqualTo(201);
        Path keyFile = broker.home().resolve("master.key");
        String before = Files.readString(keyFile);
        broker.stop();
        Path home = broker.home();

        CliResult rotated = cli.in(home).run("keys", "rotate-master", "--home", home.toString());
        JsonNode data = rotated.data();
        assertThat(data.get("reencrypted").asInt()).isEqualTo(2); // the signing key and the webhook secret
        assertThat(data.get("master_key").asText()).contains("master.key");
        assertThat(Files.readString(keyFile)).isNotEqualTo(before);
        assertThat(rotated.stdout() + rotated.stderr()).doesNotContain(Files.readString(keyFile).strip())
                .doesNotContain(before.strip());

        JsonNode again = cli.in(home).run("keys", "rotate-master", "--home", home.toString(),
                "--new-master-key-file", keyFile.toString()).data();
        assertThat(again.get("reencrypted").asInt()).isZero();
        assertThat(again.get("already_current").asInt()).isEqualTo(2);

        broker.start();
        assertThat(broker.client().get("/v1/whoami", admin).status()).as("a token from before still verifies").isEqualTo(200);
        broker.stop();

        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String wrong = Base64.getEncoder().encodeToString(raw);
        Path newKey = dir.resolve("new.key");
        new SecureRandom().nextBytes(raw);
        Files.writeString(newKey, Base64.getEncoder().encodeToString(raw) + "\n");
        CliResult refused = cli.in(home).env("MAYFLY_MASTER_KEY", wrong)
                .run("keys", "rotate-master", "--home", home.toString(), "--new-master-key-file", newKey.toString());
        assertThat(refused.error("PRECONDITION", 4).get("message").asText()).contains("nothing was changed");
        assertThat(refused.stderr()).doesNotContain("Exception").doesNotContain("\tat ");

        CliResult server = cli.in(home).env("MAYFLY_MASTER_KEY", wrong)
                .run("server", "--home", home.toString(), "--listen", "127.0.0.1:0");
        assertThat(server.error("PRECONDITION", 4).get("message").asText()).contains("master key");
        assertThat(server.stderr()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(wrong);

        broker.start(); // for the extension's after-all checks
    }
}

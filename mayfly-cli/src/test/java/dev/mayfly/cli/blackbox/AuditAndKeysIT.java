package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The operator's audit and key commands, run as the shaded jar against a real broker. */
class AuditAndKeysIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static Path admin;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        admin = cli.adminHome();
    }

    @Test
    void theTrailIsQueriedExportedAndVerifiedAndATamperedTrailFailsVerification() throws Exception {
        JsonNode agent = cli.in(admin).run("agent", "create", "audited-bot", "--scope", "a:read").data();
        JsonNode page = cli.in(admin).run("audit", "--agent", agent.get("agent_id").asText()).data();
        assertThat(page.get("records").findValuesAsText("event")).contains("agent.created");

        CliResult export = cli.in(admin).run("audit", "export", "--event", "agent.created");
        assertThat(export.exit()).isZero();
        String[] lines = export.stdout().strip().split("\n");
        assertThat(lines.length).isGreaterThanOrEqualTo(2); // the bootstrap admin and audited-bot
        for (String line : lines) {
            assertThat(Json.mapper().readTree(line).get("event").asText()).isEqualTo("agent.created");
        }

        assertThat(cli.in(admin).run("audit", "verify").data().get("valid").asBoolean()).isTrue();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + broker.home().resolve("mayfly.db"));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE audit_events SET event = 'agent.forged' WHERE seq = 1");
        }
        CliResult broken = cli.in(admin).run("audit", "verify");
        broken.error("CONFLICT", 6);
        assertThat(broken.stdout()).contains("\"first_bad_seq\":1");
    }

    @Test
    void keysAreListedAndRotated() {
        JsonNode keys = cli.in(admin).run("keys", "list").data().get("keys");
        assertThat(keys.findValuesAsText("state")).containsExactly("active");
        JsonNode rotated = cli.in(admin).run("keys", "rotate", "--publish-ahead", "10m").data();
        assertThat(rotated.get("keys").findValuesAsText("state")).containsExactlyInAnyOrder("active", "next");
        cli.in(admin).run("keys", "rotate", "--publish-ahead", "soon").error("USAGE", 2);
        // shorter than twice the nodes' key reload interval: other nodes would refuse the new key's tokens
        CliResult tooShort = cli.in(admin).run("keys", "rotate", "--publish-ahead", "5s");
        tooShort.error("USAGE", 2);
        assertThat(tooShort.stdout()).contains("at least 10 s");
        cli.in(admin).run("keys", "rotate", "--publish-ahead", "0s").error("USAGE", 2);
        assertThat(cli.in(admin).run("keys", "list").data().get("keys").findValuesAsText("state"))
                .as("nothing rotated").containsExactlyInAnyOrder("active", "next");
    }
}

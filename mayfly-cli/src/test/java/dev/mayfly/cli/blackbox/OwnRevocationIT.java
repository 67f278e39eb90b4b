package dev.mayfly.cli.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, item 9: an agent with no revoke scope at all revokes its own task and its own task tokens with
 * {@code mayfly token revoke} from its cached session; another agent's task stays out of its reach, and the
 * same task id chosen by another agent is a different task (item 1).
 */
class OwnRevocationIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    static Path dir;

    static Cli cli;
    static JsonNode worker;
    static JsonNode neighbour;

    @BeforeAll
    static void setUp() {
        cli = new Cli(broker, dir);
        worker = cli.createAgent("own-worker", List.of("orders:read"), List.of());
        neighbour = cli.createAgent("own-neighbour", List.of("orders:read"), List.of());
    }

    @Test
    void anAgentRevokesItsOwnTaskAndItsOwnTokenFromItsCachedSession() {
        Path home = cli.newHome("own-worker");
        cli.login(home, worker);
        Path other = cli.newHome("own-neighbour");
        cli.login(other, neighbour);
        String task = cli.in(home).run("token", "issue", "--scope", "orders:read", "--task", "job-7").data()
                .get("access_token").asText();
        String neighbours = cli.in(other).run("token", "issue", "--scope", "orders:read", "--task", "job-7").data()
                .get("access_token").asText();

        JsonNode revoked = cli.in(home).run("token", "revoke", "--task", "job-7", "--reason", "done").data();
        assertThat(revoked.get("kind").asText()).isEqualTo("task");
        assertThat(revoked.get("agent_id").asText()).isEqualTo(worker.get("agent_id").asText());
        cli.in(home).env("MAYFLY_TOKEN", task).run("whoami").error("CREDENTIALS_REVOKED", 11);
        assertThat(cli.in(other).env("MAYFLY_TOKEN", neighbours).run("whoami").data().get("task_id").asText())
                .as("the neighbour's job-7 is another task").isEqualTo("job-7");

        JsonNode second = cli.in(home).run("token", "issue", "--scope", "orders:read", "--task", "job-8").data();
        cli.in(home).run("token", "revoke", "--jti", second.get("jti").asText()).data();
        cli.in(home).env("MAYFLY_TOKEN", second.get("access_token").asText()).run("whoami").error("CREDENTIALS_REVOKED", 11);
        assertThat(cli.in(home).run("whoami").data().get("token_kind").asText()).as("the session lives on").isEqualTo("session");
    }

    @Test
    void anotherAgentsTaskIsRefused() {
        Path home = cli.newHome("own-intruder");
        cli.login(home, worker);
        JsonNode denied = cli.in(home).run("token", "revoke", "--task", "job-9", "--task-agent",
                neighbour.get("agent_id").asText()).error("PERMISSION_DENIED", 8);
        assertThat(denied.get("message").asText()).contains("another agent's task_id");
    }
}

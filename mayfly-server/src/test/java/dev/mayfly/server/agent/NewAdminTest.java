package dev.mayfly.server.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Break-glass: the only admin's secret is reported leaked (which disables it for good), and a restart with
 * {@code --new-admin} gives the operator a working admin again, with the old one still disabled.
 */
class NewAdminTest {
    static final AtomicBoolean newAdmin = new AtomicBoolean();

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.newAdmin(newAdmin.get()));

    @Test
    void aRestartWithNewAdminReplacesALeakedAdmin() throws Exception {
        BrokerClient client = broker.client();
        JsonNode leaked = broker.adminCredentials();
        BrokerClient.Response leak = client.postJson("/v1/leaks", null,
                Map.of("tokens", List.of(leaked.get("client_secret").asText())));
        assertThat(leak.body().at("/data/results/0/status").asText()).as(leak.raw()).isEqualTo("revoked");
        assertThat(client.login(leaked.get("client_id").asText(), leaked.get("client_secret").asText()).status())
                .isEqualTo(401);

        broker.stop();
        broker.start();
        assertThat(broker.adminCredentials()).as("a plain restart changes nothing").isEqualTo(leaked);

        broker.stop();
        newAdmin.set(true);
        broker.start();
        client = broker.client();
        JsonNode fresh = broker.adminCredentials();
        assertThat(fresh.get("agent_id").asText()).isNotEqualTo(leaked.get("agent_id").asText());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(broker.home().resolve("admin.json"))))
                .isEqualTo("rw-------");
        String token = client.adminToken(fresh);
        JsonNode agent = client.get("/v1/agents/" + fresh.get("agent_id").asText(), token).body().get("data");
        assertThat(agent.get("name").asText()).isEqualTo("admin-20261122-140000");
        assertThat(agent.get("scopes")).extracting(JsonNode::asText).contains("mayfly:admin");
        assertThat(client.get("/v1/agents/" + leaked.get("agent_id").asText(), token).body().at("/data/disabled").asBoolean())
                .as("the leaked admin stays disabled").isTrue();
        assertThat(client.get("/v1/audit?limit=200", token).raw()).contains("\"agent.created\"", "new-admin");
        assertThat(broker.logLines()).anyMatch(l -> l.contains("--new-admin") && l.contains(fresh.get("agent_id").asText()));
    }
}

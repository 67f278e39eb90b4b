package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Task ids are scoped to their agent (issue 18, item 1): the same task id chosen by two agents names two
 * tasks, so one agent revoking "its" task (or burning a task id in advance) cannot touch another's. And an
 * agent revokes its own task and its own task tokens with its session token (item 9), while another agent's
 * task stays out of its reach.
 */
class TaskScopeTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private record Agent(String agentId, String sessionToken) {
    }

    @Test
    void anotherAgentRevokingTheSameTaskIdLeavesThisAgentsTaskAlive() {
        BrokerClient client = broker.client();
        Agent victim = agent(client, "scope-victim");
        Agent mallory = agent(client, "scope-mallory");
        String victimTask = exchange(client, victim, "shared-task-1").get("access_token").asText();
        String malloryTask = exchange(client, mallory, "shared-task-1").get("access_token").asText();

        // Mallory revokes "its own" task with its task token: allowed, and it ends Mallory's task only.
        BrokerClient.Response revoke = client.postJson("/v1/revocations", malloryTask, Map.of("task_id", "shared-task-1"));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);

        assertThat(client.get("/v1/whoami", malloryTask).status()).isEqualTo(401);
        BrokerClient.Response victimWho = client.get("/v1/whoami", victimTask);
        assertThat(victimWho.status()).as("the victim's task token survives: " + victimWho.raw()).isEqualTo(200);
        BrokerClient.Response again = client.exchange(victim.sessionToken(), Map.of("task_id", "shared-task-1"));
        assertThat(again.status()).as("the victim can still get tokens for its task: " + again.raw()).isEqualTo(200);
        BrokerClient.Response malloryAgain = client.exchange(mallory.sessionToken(), Map.of("task_id", "shared-task-1"));
        assertThat(malloryAgain.status()).as("Mallory's own task stays revoked").isEqualTo(400);
        assertThat(malloryAgain.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(revoke.body().at("/data/agent_id").asText()).as("the revocation names whose task").isEqualTo(mallory.agentId());
    }

    @Test
    void aTaskIdBurnedInAdvanceByAnotherAgentCanStillBeUsed() {
        BrokerClient client = broker.client();
        Agent mallory = agent(client, "burner-mallory");
        Agent victim = agent(client, "burner-victim");
        BrokerClient.Response burn = client.postJson("/v1/revocations", mallory.sessionToken(), Map.of("task_id", "nightly-build"));
        assertThat(burn.status()).as(burn.raw()).isEqualTo(201);

        BrokerClient.Response task = client.exchange(victim.sessionToken(), Map.of("task_id", "nightly-build"));
        assertThat(task.status()).as(task.raw()).isEqualTo(200);
        assertThat(client.get("/v1/whoami", task.body().get("access_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void anAgentRevokesItsOwnTaskWithItsSessionToken() {
        BrokerClient client = broker.client();
        Agent agent = agent(client, "self-task");
        String task = exchange(client, agent, "self-task-1").get("access_token").asText();

        BrokerClient.Response revoke = client.postJson("/v1/revocations", agent.sessionToken(),
                Map.of("task_id", "self-task-1", "reason", "task done"));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);
        assertThat(client.get("/v1/whoami", task).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(client.get("/v1/whoami", agent.sessionToken()).status()).as("the session lives on").isEqualTo(200);
    }

    @Test
    void anAgentRevokesOneOfItsOwnTaskTokensByJtiWithItsSessionToken() {
        BrokerClient client = broker.client();
        Agent agent = agent(client, "self-jti");
        JsonNode first = exchange(client, agent, "self-jti-task");
        String second = exchange(client, agent, "self-jti-task").get("access_token").asText();
        String jti = client.get("/v1/whoami", first.get("access_token").asText()).body().at("/data/jti").asText();

        BrokerClient.Response revoke = client.postJson("/v1/revocations", agent.sessionToken(), Map.of("jti", jti));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);
        assertThat(revoke.body().at("/data/agent_id").asText()).isEqualTo(agent.agentId());
        assertThat(client.get("/v1/whoami", first.get("access_token").asText()).status()).isEqualTo(401);
        assertThat(client.get("/v1/whoami", second).status()).as("only that token").isEqualTo(200);
    }

    @Test
    void anAgentEndsAnotherOfItsOwnSessionsButNotAnotherAgents() {
        BrokerClient client = broker.client();
        JsonNode a = client.createAgent(admin(client), "two-sessions", "llm", List.of("docs:read"), List.of());
        JsonNode first = client.login(a.get("client_id").asText(), a.get("client_secret").asText()).body();
        JsonNode second = client.login(a.get("client_id").asText(), a.get("client_secret").asText()).body();
        Agent stranger = agent(client, "session-stranger");

        BrokerClient.Response foreign = client.postJson("/v1/revocations", stranger.sessionToken(),
                Map.of("session_id", first.get("session_id").asText()));
        assertThat(foreign.status()).as(foreign.raw()).isEqualTo(403);
        BrokerClient.Response own = client.postJson("/v1/revocations", second.get("access_token").asText(),
                Map.of("session_id", first.get("session_id").asText()));
        assertThat(own.status()).as(own.raw()).isEqualTo(201);
        assertThat(own.body().at("/data/agent_id").asText()).isEqualTo(a.get("agent_id").asText());
        assertThat(client.get("/v1/whoami", first.get("access_token").asText()).status()).isEqualTo(401);
        assertThat(client.get("/v1/whoami", second.get("access_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void anotherAgentsTaskAndTokensAreStillRefused() {
        BrokerClient client = broker.client();
        Agent owner = agent(client, "owner");
        Agent other = agent(client, "other");
        JsonNode task = exchange(client, owner, "owned-task");
        String jti = client.get("/v1/whoami", task.get("access_token").asText()).body().at("/data/jti").asText();

        BrokerClient.Response byTask = client.postJson("/v1/revocations", other.sessionToken(),
                Map.of("task_id", "owned-task", "agent_id", owner.agentId()));
        assertThat(byTask.status()).as(byTask.raw()).isEqualTo(403);
        assertThat(byTask.body().at("/error/code").asText()).isEqualTo("PERMISSION_DENIED");
        BrokerClient.Response byJti = client.postJson("/v1/revocations", other.sessionToken(), Map.of("jti", jti));
        assertThat(byJti.status()).as(byJti.raw()).isEqualTo(403);
        assertThat(client.get("/v1/whoami", task.get("access_token").asText()).status()).isEqualTo(200);
    }

    @Test
    void anAdminRevokesAnAgentsTaskByNamingTheAgent() {
        BrokerClient client = broker.client();
        Agent owner = agent(client, "admin-target");
        String task = exchange(client, owner, "admin-task").get("access_token").asText();

        // A bare task id from an admin is refused, not taken as the admin's own task: that would answer 201
        // while the task meant lives on.
        BrokerClient.Response bare = client.postJson("/v1/revocations", admin(client), Map.of("task_id", "admin-task"));
        assertThat(bare.status()).as(bare.raw()).isEqualTo(400);
        assertThat(bare.body().at("/error/message").asText()).contains("agent_id");
        assertThat(client.get("/v1/whoami", task).status()).isEqualTo(200);

        BrokerClient.Response revoke = client.postJson("/v1/revocations", admin(client),
                Map.of("task_id", "admin-task", "agent_id", owner.agentId()));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);
        assertThat(client.get("/v1/whoami", task).status()).isEqualTo(401);
    }

    @Test
    void anAuditQueryByTaskIdNeedsItsAgentOrSession() {
        BrokerClient client = broker.client();
        BrokerClient.Response r = client.get("/v1/audit?task_id=shared-task-1", admin(client));
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
    }

    private static Agent agent(BrokerClient client, String name) {
        JsonNode a = client.createAgent(admin(client), name, "llm", List.of("docs:read"), List.of());
        JsonNode s = client.login(a.get("client_id").asText(), a.get("client_secret").asText()).body();
        return new Agent(a.get("agent_id").asText(), s.get("access_token").asText());
    }

    private static JsonNode exchange(BrokerClient client, Agent agent, String taskId) {
        BrokerClient.Response r = client.exchange(agent.sessionToken(), Map.of("task_id", taskId));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body();
    }

    private static String admin(BrokerClient client) {
        return client.adminToken(broker.adminCredentials());
    }
}

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
 * Every audit record names the request that caused it (request id, client address) and the caller that
 * request authenticated as, whichever thread writes the record: logins and token exchanges are committed by
 * the group-commit thread, not by the request's own.
 */
class AuditOriginTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void aRecordWrittenOnTheGroupCommitThreadCarriesTheRequestIdAndActorOfItsRequest() {
        BrokerClient client = broker.client();
        JsonNode agent = client.createAgent(admin(client), "origin-login", "llm", List.of("docs:read"), List.of());
        String agentId = agent.get("agent_id").asText();

        BrokerClient.Response login = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        assertThat(login.status()).as(login.raw()).isEqualTo(200);

        // session.started is written inside GroupCommit's batch, on its writer thread.
        JsonNode started = only(client, "?event=session.started&agent_id=" + agentId);
        assertThat(started.get("request_id").asText()).isEqualTo(login.header("X-Request-Id"));
        assertThat(started.get("client_addr").asText()).isEqualTo("127.0.0.1");
        assertThat(started.at("/actor/agent_id").asText()).isEqualTo(agentId);
        assertThat(started.at("/actor/session_id").isMissingNode()).isTrue(); // a client-secret login has no session yet
    }

    @Test
    void aTokenExchangeIsAttributedToTheSessionThatAskedForIt() {
        BrokerClient client = broker.client();
        JsonNode agent = client.createAgent(admin(client), "origin-exchange", "llm", List.of("docs:read"), List.of());
        String agentId = agent.get("agent_id").asText();
        JsonNode session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();

        BrokerClient.Response exchange = client.exchange(session.get("access_token").asText(), Map.of("task_id", "origin-task"));
        assertThat(exchange.status()).as(exchange.raw()).isEqualTo(200);

        JsonNode exchanged = only(client, "?event=token.exchanged&agent_id=" + agentId);
        assertThat(exchanged.get("request_id").asText()).isEqualTo(exchange.header("X-Request-Id"));
        assertThat(exchanged.at("/actor/agent_id").asText()).isEqualTo(agentId);
        assertThat(exchanged.at("/actor/session_id").asText()).isEqualTo(session.get("session_id").asText());
    }

    @Test
    void aRevocationIsAttributedToTheRequestThatRevoked() {
        BrokerClient client = broker.client();
        String admin = admin(client);
        // An admin names whose task it is: here its own.
        BrokerClient.Response revoke = client.postJson("/v1/revocations", admin, Map.of("task_id", "origin-revoked",
                "agent_id", broker.adminCredentials().get("agent_id").asText()));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);

        JsonNode revoked = only(client, "?event=revocation.created&task_id=origin-revoked&agent_id="
                + broker.adminCredentials().get("agent_id").asText());
        assertThat(revoked.get("request_id").asText()).isEqualTo(revoke.header("X-Request-Id"));
        assertThat(revoked.at("/actor/agent_id").asText()).isEqualTo(broker.adminCredentials().get("agent_id").asText());
    }

    private static String admin(BrokerClient client) {
        return client.adminToken(broker.adminCredentials());
    }

    private static JsonNode only(BrokerClient client, String query) {
        BrokerClient.Response r = client.get("/v1/audit" + query, admin(client));
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode records = r.body().at("/data/records");
        assertThat(records).as(r.raw()).hasSize(1);
        return records.get(0);
    }
}

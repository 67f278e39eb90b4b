package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every act is recorded with agent, session and task; the hash chain exposes modified, deleted and reordered records. */
class AuditTrailTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static BrokerClient client;
    static JsonNode agent;
    static JsonNode session;
    static String taskToken;

    @BeforeAll
    static void flow() {
        client = broker.client();
        agent = client.createAgent(admin(), "audited", "llm", List.of("docs:read"), List.of());
        session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
        taskToken = client.exchange(session.get("access_token").asText(), Map.of("task_id", "audit-task")).body()
                .get("access_token").asText();
        session = client.refresh(session.get("refresh_token").asText()).body();
        client.get("/v1/agents", session.get("access_token").asText()); // denied: no admin scope
        client.postJson("/v1/revocations", admin(), Map.of("task_id", "audit-task", "agent_id", agent.get("agent_id").asText(),
                "reason", "done"));
    }

    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    private static JsonNode records(String query) {
        BrokerClient.Response r = client.get("/v1/audit" + query, admin());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().at("/data/records");
    }

    @Test
    void everyActOfAnAgentIsRecordedWithItsContextAndNoSecret() {
        String agentId = agent.get("agent_id").asText();
        JsonNode records = records("?agent_id=" + agentId);
        List<String> events = new ArrayList<>();
        records.forEach(r -> events.add(r.get("event").asText()));
        assertThat(events).containsSubsequence("agent.created", "session.started", "token.exchanged", "token.refreshed",
                "request.denied");

        JsonNode exchanged = records("?event=token.exchanged&agent_id=" + agentId).get(0);
        assertThat(exchanged.get("session_id").asText()).isEqualTo(session.get("session_id").asText());
        assertThat(exchanged.get("task_id").asText()).isEqualTo("audit-task");
        assertThat(exchanged.get("jti").asText()).isEqualTo(SignedJwtClaims.jti(taskToken));
        assertThat(exchanged.get("tier").asText()).isEqualTo("low");
        assertThat(exchanged.get("ttl_s").asLong()).isEqualTo(900);
        assertThat(exchanged.at("/actor/agent_id").asText()).isEqualTo(agentId);
        assertThat(exchanged.get("request_id").asText()).startsWith("req_");
        assertThat(exchanged.get("client_addr").asText()).isEqualTo("127.0.0.1");

        JsonNode denied = records("?event=request.denied&agent_id=" + agentId).get(0);
        assertThat(denied.get("outcome").asText()).isEqualTo("denied");
        assertThat(denied.get("code").asText()).isEqualTo("PERMISSION_DENIED");

        JsonNode revoked = records("?event=revocation.created&task_id=audit-task&agent_id=" + agentId).get(0);
        assertThat(revoked.at("/details/reason").asText()).isEqualTo("done");

        String everything = client.get("/v1/audit?limit=1000", admin()).raw();
        assertThat(everything).doesNotContainPattern("mfy_(rt|cs|wh)_[0-9A-Za-z]{38}");
        assertThat(everything).doesNotContain(taskToken).doesNotContain(agent.get("client_secret").asText());
    }

    @Test
    void aTokenTracesBackToItsTaskSessionAndAgent() {
        BrokerClient.Response r = client.get("/v1/audit/trace/" + SignedJwtClaims.jti(taskToken), admin());
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        JsonNode d = r.body().get("data");
        assertThat(d.at("/agent/event").asText()).isEqualTo("agent.created");
        assertThat(d.at("/session/event").asText()).isEqualTo("session.started");
        assertThat(d.at("/task/task_id").asText()).isEqualTo("audit-task");
        assertThat(d.at("/token/jti").asText()).isEqualTo(SignedJwtClaims.jti(taskToken));
        assertThat(client.get("/v1/audit/trace/nope", admin()).status()).isEqualTo(404);
    }

    @Test
    void pagesFollowTheCursor() {
        JsonNode first = client.get("/v1/audit?limit=2", admin()).body().get("data");
        assertThat(first.get("records")).hasSize(2);
        long next = first.get("next_after").asLong();
        JsonNode second = client.get("/v1/audit?limit=2&after=" + next, admin()).body().at("/data/records");
        assertThat(second.get(0).get("seq").asLong()).isEqualTo(next + 1);
    }

    @Test
    void verifyFindsTheFirstModifiedDeletedOrReorderedRecord() throws Exception {
        assertThat(verify().get("valid").asBoolean()).isTrue();
        String url = "jdbc:sqlite:" + broker.home().resolve("mayfly.db");
        try (Connection c = DriverManager.getConnection(url)) {
            // modified
            String original = scalar(c, "SELECT details FROM audit_events WHERE seq = 3");
            exec(c, "UPDATE audit_events SET details = '{\"reason\":\"forged\"}' WHERE seq = 3");
            JsonNode v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            assertThat(v.get("first_bad_seq").asLong()).isEqualTo(3);
            assertThat(v.get("problem").asText()).contains("modified");
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_events SET details = ? WHERE seq = 3")) {
                ps.setString(1, original);
                ps.executeUpdate();
            }
            assertThat(verify().get("valid").asBoolean()).isTrue();

            // deleted
            exec(c, "CREATE TEMP TABLE saved AS SELECT * FROM audit_events WHERE seq = 4");
            exec(c, "DELETE FROM audit_events WHERE seq = 4");
            v = verify();
            assertThat(v.get("first_bad_seq").asLong()).isEqualTo(5);
            assertThat(v.get("problem").asText()).contains("missing");
            exec(c, "INSERT INTO audit_events SELECT * FROM saved");
            assertThat(verify().get("valid").asBoolean()).isTrue();

            // reordered: records 5 and 6 swap places (in the global order and in their node's chain; one node here,
            // so node_seq = seq)
            exec(c, "UPDATE audit_events SET seq = -5, node_seq = -5 WHERE seq = 5");
            exec(c, "UPDATE audit_events SET seq = 5, node_seq = 5 WHERE seq = 6");
            exec(c, "UPDATE audit_events SET seq = 6, node_seq = 6 WHERE seq = -5");
            v = verify();
            assertThat(v.get("valid").asBoolean()).isFalse();
            assertThat(v.get("first_bad_seq").asLong()).isEqualTo(5);
            exec(c, "UPDATE audit_events SET seq = -6, node_seq = -6 WHERE seq = 6");
            exec(c, "UPDATE audit_events SET seq = 6, node_seq = 6 WHERE seq = 5");
            exec(c, "UPDATE audit_events SET seq = 5, node_seq = 5 WHERE seq = -6");
            assertThat(verify().get("valid").asBoolean()).isTrue();
        }
    }

    private static JsonNode verify() {
        BrokerClient.Response r = client.get("/v1/audit/verify", admin());
        assertThat(r.status()).isEqualTo(200);
        return r.body().get("data");
    }

    private static void exec(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private static String scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 12: every audit record says who asked (request id, client address, and the actor when the
 * request authenticated) and names the agent, session, task and token it concerns. One flow produces every
 * event type the broker records; each record is then checked for both halves, event type by event type.
 */
class AuditAttributionTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.insecure(true)); // the webhook receivers speak plain http

    /** Every event type the broker writes; the flow below must produce each, so a new one cannot go unchecked. */
    private static final Set<String> EVENT_TYPES = Set.of("agent.created", "session.started", "token.exchanged",
            "token.refreshed", "refresh_token.reused", "revocation.created", "agent.disabled", "request.denied",
            "leak.reported", "key.rotated", "webhook.delivered", "webhook.failed", "webhook.created", "webhook.deleted");

    static BrokerClient client;
    static HttpServer receiver;
    static String adminId;
    static String removedWebhookId;
    static String removedWebhookSecret;
    static String agentId;
    static String sessionId;
    static String secondSessionId;
    static String taskJti;
    static String leakedJti;
    static final Map<String, String> requestIds = new LinkedHashMap<>();

    @BeforeAll
    static void everyKindOfAct() throws IOException {
        client = broker.client();
        adminId = broker.adminCredentials().get("agent_id").asText();
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/ok", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.createContext("/down", ex -> {
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        receiver.start();
        String admin = admin();
        String base = "http://127.0.0.1:" + receiver.getAddress().getPort();
        assertThat(client.postJson("/v1/webhooks", admin, Map.of("url", base + "/ok", "events", List.of("revocation.created")))
                .status()).isEqualTo(201);
        assertThat(client.postJson("/v1/webhooks", admin, Map.of("url", base + "/down", "events", List.of("revocation.created")))
                .status()).isEqualTo(201);
        BrokerClient.Response gone = client.postJson("/v1/webhooks", admin, Map.of("url", base + "/gone?tag=x"));
        removedWebhookId = gone.body().at("/data/webhook_id").asText();
        removedWebhookSecret = gone.body().at("/data/secret").asText();
        assertThat(client.delete("/v1/webhooks/" + removedWebhookId, admin).status()).isEqualTo(200);

        JsonNode agent = client.createAgent(admin, "attributed", "llm", List.of("docs:read"), List.of());
        agentId = agent.get("agent_id").asText();
        String clientId = agent.get("client_id").asText();
        String secret = agent.get("client_secret").asText();

        BrokerClient.Response login = client.login(clientId, secret);
        requestIds.put("session.started", login.header("X-Request-Id"));
        JsonNode session = login.body();
        sessionId = session.get("session_id").asText();
        String sessionToken = session.get("access_token").asText();

        BrokerClient.Response exchange = client.exchange(sessionToken, Map.of("task_id", "attributed-task"));
        requestIds.put("token.exchanged", exchange.header("X-Request-Id"));
        String taskToken = exchange.body().get("access_token").asText();
        taskJti = client.get("/v1/whoami", taskToken).body().at("/data/jti").asText();

        // The agent revokes one of its task tokens by jti, then its task: revocations it asked for itself.
        assertThat(client.postJson("/v1/revocations", sessionToken, Map.of("jti", taskJti)).status()).isEqualTo(201);
        // Denied: an authentic token that is now revoked.
        assertThat(client.get("/v1/whoami", taskToken).status()).isEqualTo(401);
        assertThat(client.postJson("/v1/revocations", sessionToken, Map.of("task_id", "attributed-task")).status()).isEqualTo(201);
        // Denied: an authenticated caller lacking a scope; a wrong client secret; no credential at all.
        assertThat(client.get("/v1/agents", sessionToken).status()).isEqualTo(403);
        assertThat(client.login(clientId, "mfy_cs_" + "0".repeat(38)).status()).isEqualTo(401);
        assertThat(client.get("/v1/whoami", null).status()).isEqualTo(401);

        // A leaked task token, reported anonymously.
        String leaked = client.exchange(sessionToken, Map.of("task_id", "leaky-task")).body().get("access_token").asText();
        leakedJti = client.get("/v1/whoami", leaked).body().at("/data/jti").asText();
        assertThat(client.postJson("/v1/leaks", null, Map.of("tokens", List.of(leaked))).status()).isEqualTo(200);

        // A refresh, then, past the reuse grace, the old refresh token again: reuse revokes the session.
        String firstRefresh = session.get("refresh_token").asText();
        BrokerClient.Response refreshed = client.refresh(firstRefresh);
        requestIds.put("token.refreshed", refreshed.header("X-Request-Id"));
        broker.clock().advance(Duration.ofSeconds(11));
        BrokerClient.Response reused = client.refresh(firstRefresh);
        requestIds.put("refresh_token.reused", reused.header("X-Request-Id"));
        assertThat(reused.status()).isEqualTo(400);

        JsonNode second = client.login(clientId, secret).body();
        secondSessionId = second.get("session_id").asText();
        assertThat(client.postJson("/v1/keys/rotate", admin, Map.of("publish_ahead_s", 60)).status()).isEqualTo(200);
        assertThat(client.postJson("/v1/revocations", admin, Map.of("agent_id", agentId, "reason", "done")).status())
                .isEqualTo(201);

        // Deliveries of the revocations above: one receiver takes them, the other fails until they are given up.
        var dispatcher = broker.broker().webhookDispatcher();
        for (int i = 0; i < 12 && dispatcher.runDue() > 0; i++) {
            broker.clock().advance(Duration.ofHours(1));
        }
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    private static List<JsonNode> all() {
        List<JsonNode> out = new ArrayList<>();
        long after = 0;
        while (true) {
            BrokerClient.Response r = client.get("/v1/audit?limit=1000&after=" + after, admin());
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            r.body().at("/data/records").forEach(out::add);
            if (r.body().at("/data/next_after").isNull()) {
                return out;
            }
            after = r.body().at("/data/next_after").asLong();
        }
    }

    @Test
    void theFlowProducedEveryEventType() {
        Set<String> seen = new TreeSet<>();
        all().forEach(r -> seen.add(r.get("event").asText()));
        assertThat(seen).containsAll(EVENT_TYPES);
    }

    @Test
    void everyRecordOfARequestCarriesItsRequestIdAndAddressAndBackgroundWorkNamesTheBrokerPart() {
        for (JsonNode r : all()) {
            String event = r.get("event").asText();
            if (r.at("/actor/system").isTextual()) {
                // No request caused it: the bootstrap's admin, and webhook deliveries.
                assertThat(r.at("/actor/system").asText() + " " + event).as("%s", r)
                        .isIn("bootstrap agent.created", "webhook-dispatcher webhook.delivered", "webhook-dispatcher webhook.failed");
                continue;
            }
            assertThat(r.get("request_id").asText("")).as("request_id of %s", r).startsWith("req_");
            assertThat(r.get("client_addr").asText("")).as("client_addr of %s", r).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void everyRecordOfAnAuthenticatedRequestNamesItsActor() {
        for (JsonNode r : all()) {
            String event = r.get("event").asText();
            // Anonymous by design: leak reports (possession is enough) and the revocations they cause, and the
            // requests of this flow refused before the caller proved who it is (revoked token, wrong secret, none).
            boolean anonymous = event.equals("leak.reported")
                    || (event.equals("revocation.created") && r.at("/details/reason").asText().equals("leaked"))
                    || (event.equals("request.denied") && r.at("/details/route").asText().contains("whoami"))
                    || (event.equals("request.denied") && r.get("code").asText().equals("CREDENTIALS_INVALID"));
            if (!anonymous && !r.at("/actor/system").isTextual()) {
                assertThat(r.at("/actor/agent_id").asText("")).as("actor of %s", r).startsWith("agt_");
            }
        }
    }

    @Test
    void issuanceRecordsNameTheirRequestAgentSessionTaskAndToken() {
        JsonNode started = one("session.started", sessionId);
        assertThat(started.get("request_id").asText()).isEqualTo(requestIds.get("session.started"));
        assertThat(started.at("/actor/agent_id").asText()).isEqualTo(agentId);
        assertThat(started.get("jti").asText()).isNotBlank();

        JsonNode exchanged = only(records("token.exchanged"), r -> r.get("jti").asText().equals(taskJti));
        assertThat(exchanged.get("request_id").asText()).isEqualTo(requestIds.get("token.exchanged"));
        assertThat(exchanged.get("task_id").asText()).isEqualTo("attributed-task");
        assertThat(exchanged.get("session_id").asText()).isEqualTo(sessionId);

        JsonNode refreshed = one("token.refreshed", sessionId);
        assertThat(refreshed.get("request_id").asText()).isEqualTo(requestIds.get("token.refreshed"));
        assertThat(refreshed.at("/actor/session_id").asText()).isEqualTo(sessionId);

        JsonNode reused = one("refresh_token.reused", sessionId);
        assertThat(reused.get("request_id").asText()).isEqualTo(requestIds.get("refresh_token.reused"));
        assertThat(reused.get("agent_id").asText()).isEqualTo(agentId);
    }

    @Test
    void revocationRecordsNameTheAgentSessionTaskAndTokenTheyCover() {
        List<JsonNode> revocations = records("revocation.created");
        JsonNode byJti = only(revocations, r -> taskJti.equals(r.get("jti").asText(null)));
        assertThat(byJti.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(byJti.get("session_id").asText()).isEqualTo(sessionId);
        assertThat(byJti.get("task_id").asText()).isEqualTo("attributed-task");
        assertThat(byJti.at("/actor/session_id").asText()).isEqualTo(sessionId);

        JsonNode byTask = only(revocations, r -> r.at("/details/kind").asText().equals("task")
                && agentId.equals(r.get("agent_id").asText(null)));
        assertThat(byTask.get("task_id").asText()).isEqualTo("attributed-task");

        JsonNode leak = only(revocations, r -> leakedJti.equals(r.get("jti").asText(null)));
        assertThat(leak.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(leak.get("session_id").asText()).isEqualTo(sessionId);
        assertThat(leak.get("task_id").asText()).isEqualTo("leaky-task");

        JsonNode bySession = only(revocations, r -> r.at("/details/kind").asText().equals("session")
                && sessionId.equals(r.get("session_id").asText(null)));
        assertThat(bySession.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(bySession.get("request_id").asText()).isEqualTo(requestIds.get("refresh_token.reused"));

        JsonNode byAgent = only(revocations, r -> r.at("/details/kind").asText().equals("agent"));
        assertThat(byAgent.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(byAgent.at("/actor/agent_id").asText()).isEqualTo(adminId);
        JsonNode disabled = only(records("agent.disabled"), r -> agentId.equals(r.get("agent_id").asText(null)));
        assertThat(disabled.get("request_id").asText()).isEqualTo(byAgent.get("request_id").asText());
    }

    @Test
    void deniedRequestsNameWhatTheCallerPresented() {
        List<JsonNode> denied = records("request.denied");
        JsonNode revokedToken = only(denied, r -> r.get("code").asText().equals("CREDENTIALS_REVOKED")
                && r.at("/details/route").asText().contains("whoami"));
        assertThat(revokedToken.get("agent_id").asText()).as("an authentic, revoked token names its agent").isEqualTo(agentId);
        assertThat(revokedToken.get("session_id").asText()).isEqualTo(sessionId);
        assertThat(revokedToken.get("task_id").asText()).isEqualTo("attributed-task");
        assertThat(revokedToken.get("jti").asText()).isEqualTo(taskJti);

        JsonNode missingScope = only(denied, r -> r.get("code").asText().equals("PERMISSION_DENIED"));
        assertThat(missingScope.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(missingScope.at("/actor/agent_id").asText()).isEqualTo(agentId);
        assertThat(missingScope.get("jti").asText()).as("the token it presented").isNotBlank();

        JsonNode wrongSecret = only(denied, r -> r.get("code").asText().equals("CREDENTIALS_INVALID")
                && r.at("/details/route").asText().contains("oauth"));
        assertThat(wrongSecret.get("agent_id").asText()).as("the client id it claimed").isEqualTo(agentId);
        assertThat(wrongSecret.get("actor").isNull()).as("but it proved nothing").isTrue();

        JsonNode missing = only(denied, r -> r.get("code").asText().equals("CREDENTIALS_MISSING"));
        assertThat(missing.get("request_id").asText()).startsWith("req_");
        assertThat(missing.get("agent_id").isNull()).isTrue();
    }

    @Test
    void leakAndKeyRecordsNameWhatTheyConcern() {
        JsonNode leak = only(records("leak.reported"), r -> leakedJti.equals(r.get("jti").asText(null)));
        assertThat(leak.get("agent_id").asText()).isEqualTo(agentId);
        assertThat(leak.get("task_id").asText()).isEqualTo("leaky-task");
        JsonNode rotated = records("key.rotated").get(0);
        assertThat(rotated.at("/actor/agent_id").asText()).isEqualTo(adminId);
        assertThat(rotated.at("/details/kid").asText()).isNotBlank();
    }

    @Test
    void webhookRecordsNameTheDispatcherAndTheRevocationTheyCarried() {
        for (String event : List.of("webhook.delivered", "webhook.failed")) {
            JsonNode r = records(event).get(0);
            assertThat(r.at("/actor/system").asText()).as("%s", r).isEqualTo("webhook-dispatcher");
            assertThat(r.at("/details/webhook_id").asText()).startsWith("wh");
            assertThat(r.at("/details/revocation_seq").asLong()).as("%s", r).isPositive();
            assertThat(r.get("agent_id").asText("")).as("whose revocation it carried: %s", r).isEqualTo(agentId);
        }
    }

    @Test
    void webhookRegistrationAndRemovalNameTheAdminAndNeitherTheSecretNorTheUrlPath() {
        JsonNode created = only(records("webhook.created"), r -> removedWebhookId.equals(r.at("/details/webhook_id").asText()));
        assertThat(created.at("/actor/agent_id").asText()).isEqualTo(adminId);
        assertThat(created.at("/details/events").toString()).isEqualTo("[\"revocation.created\"]");
        assertThat(created.at("/details/url_origin").asText()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(created.toString()).doesNotContain(removedWebhookSecret).doesNotContain("/gone");
        JsonNode deleted = only(records("webhook.deleted"), r -> removedWebhookId.equals(r.at("/details/webhook_id").asText()));
        assertThat(deleted.at("/actor/agent_id").asText()).isEqualTo(adminId);
    }

    private static List<JsonNode> records(String event) {
        List<JsonNode> out = new ArrayList<>();
        all().forEach(r -> {
            if (r.get("event").asText().equals(event)) {
                out.add(r);
            }
        });
        assertThat(out).as(event).isNotEmpty();
        return out;
    }

    private static JsonNode one(String event, String session) {
        return only(records(event), r -> session.equals(r.get("session_id").asText(null)));
    }

    private static JsonNode only(List<JsonNode> records, java.util.function.Predicate<JsonNode> which) {
        List<JsonNode> found = records.stream().filter(which).toList();
        assertThat(found).as("%s", records).hasSize(1);
        return found.get(0);
    }
}

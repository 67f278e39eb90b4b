package dev.mayfly.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 2: text a client supplies and the broker stores or sends back (request ids, revocation and
 * disable reasons, leak sources and URLs, webhook URLs, agent names, scopes, audiences, whatever an error
 * message quotes) never carries a secret in clear. Ids that look like a secret are refused or replaced;
 * free text goes through the scanner's redaction. The secrets here are well-formed Mayfly secrets (valid
 * checksum) that the broker never issued, so they are what a scanner must find and nothing real is revoked.
 */
class ClientSuppliedTextTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final HttpClient http = HttpClient.newHttpClient();
    private BrokerClient client;
    private String admin;
    private String secret;

    @BeforeEach
    void setUp() {
        broker.clock().advance(Duration.ofSeconds(30)); // refills the per-address leak-report budget
        client = broker.client();
        admin = client.adminToken(broker.adminCredentials());
        secret = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
    }

    @Test
    void aSecretSentAsTheRequestIdIsNeitherEchoedNorStored() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.base() + "/v1/agents"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .header("X-Request-Id", secret)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("name", "reqid-" + System.nanoTime(),
                        "scopes", List.of("x:read")))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String echoed = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(echoed).isNotEqualTo(secret).startsWith("req_");
        assertThat(Json.mapper().readTree(r.body()).at("/meta/request_id").asText()).isEqualTo(echoed);
        assertThat(auditText()).doesNotContain(secret);

        // A sane id is still the caller's, so requests can be correlated across services.
        HttpResponse<String> sane = http.send(HttpRequest.newBuilder(URI.create(client.base() + "/healthz"))
                .header("X-Request-Id", "trace-42.a").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sane.headers().firstValue("X-Request-Id")).hasValue("trace-42.a");
    }

    @Test
    void aSecretInARevocationOrDisableReasonIsRedactedEverywhereItIsServed() {
        String reason = "found in ci.log next to " + secret;
        BrokerClient.Response revoked = client.postJson("/v1/revocations", admin,
                Map.of("jti", "jti-reason-" + System.nanoTime(), "reason", reason));
        assertThat(revoked.status()).as(revoked.raw()).isEqualTo(201);
        assertThat(revoked.raw()).doesNotContain(secret).contains("mfy_rt_");
        assertThat(revoked.body().at("/data/reason").asText()).startsWith("found in ci.log next to ");

        JsonNode agent = client.createAgent(admin, "disable-" + System.nanoTime(), "llm", List.of("x:read"), List.of());
        BrokerClient.Response disabled = client.postJson("/v1/agents/" + agent.get("agent_id").asText() + "/disable",
                admin, Map.of("reason", reason));
        assertThat(disabled.status()).as(disabled.raw()).isEqualTo(200);
        assertThat(disabled.raw()).doesNotContain(secret);

        assertThat(client.get("/v1/revocations?limit=1000", admin).raw()).doesNotContain(secret);
        assertThat(auditText()).doesNotContain(secret);
    }

    @Test
    void aRevocationTargetThatIsASecretOrNotAnIdIsRefusedNotPublished() {
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("jti", secret), Map.of("session_id", secret),
                Map.of("task_id", secret), Map.of("agent_id", secret), Map.of("jti", admin), Map.of("jti", "two words"),
                Map.of("jti", "x".repeat(129)))) {
            BrokerClient.Response r = client.postJson("/v1/revocations", admin, body);
            assertThat(r.status()).as(body + ": " + r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(r.raw()).doesNotContain(secret).doesNotContain(admin);
        }
        assertThat(client.get("/v1/revocations?limit=1000", admin).raw()).doesNotContain(secret).doesNotContain(admin);
    }

    @Test
    void aSecretInALeakReportsSourceUrlOrTypeIsRedacted() {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("token", "not-a-mayfly-token-" + System.nanoTime());
        item.put("type", secret);
        item.put("source", "pasted from chat: " + secret);
        item.put("url", "https://alice:" + secret + "@logs.example.com/run/1?token=" + secret);
        BrokerClient.Response first = client.postJson("/v1/leaks", null, Map.of("tokens", List.of(item)));
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        BrokerClient.Response again = client.postJson("/v1/leaks", null, Map.of("tokens", List.of(item)));
        assertThat(again.status()).as(again.raw()).isEqualTo(200);
        assertThat(again.body().at("/data/results/0/status").asText()).isEqualTo("already_reported");
        assertThat(first.raw() + again.raw()).doesNotContain(secret);
        String audit = auditText();
        assertThat(audit).doesNotContain(secret).doesNotContain("alice:");
        assertThat(audit).contains("logs.example.com"); // where it was found is kept, only the secret goes
    }

    @Test
    void aWebhookUrlCarryingCredentialsIsRefusedWithoutQuotingThem() {
        for (String url : List.of("https://alice:hunter2@hooks.example.com/mayfly",
                "https://hooks.example.com/mayfly?token=" + secret,
                "https://hooks.example.com/" + secret)) {
            BrokerClient.Response r = client.postJson("/v1/webhooks", admin, Map.of("url", url));
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(r.raw()).doesNotContain(secret).doesNotContain("hunter2");
        }
    }

    @Test
    void aWebhookUrlStoredBeforeTheRuleIsListedMasked() {
        BrokerClient.Response created = client.postJson("/v1/webhooks", admin, Map.of("url", "https://hooks.example.com/legacy"));
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        String id = created.body().at("/data/webhook_id").asText();
        String legacy = "https://alice:hunter2@hooks.example.com/legacy?token=" + secret;
        broker.broker().db().inTransaction(c -> { // as an older broker stored it
            try (var ps = c.prepareStatement("UPDATE webhooks SET url = ? WHERE webhook_id = ?")) {
                ps.setString(1, legacy);
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
        for (BrokerClient.Response r : List.of(client.get("/v1/webhooks/" + id, admin), client.get("/v1/webhooks", admin))) {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.raw()).contains("hooks.example.com/legacy").doesNotContain(secret).doesNotContain("hunter2");
        }
        assertThat(client.delete("/v1/webhooks/" + id, admin).status()).isEqualTo(200);
    }

    @Test
    void secretShapedAgentNamesScopesAndAudiencesAreRefused() {
        String clientSecret = OpaqueSecret.generate(SecretKind.CLIENT_SECRET).secret().reveal();
        List<Map<String, Object>> bodies = List.of(
                Map.of("name", clientSecret, "scopes", List.of("x:read")),
                Map.of("name", "scoped-" + System.nanoTime(), "scopes", List.of(secret)),
                Map.of("name", "aud-" + System.nanoTime(), "scopes", List.of("x:read"), "audiences", List.of(secret)),
                Map.of("name", "aud-" + System.nanoTime(), "scopes", List.of("x:read"),
                        "audiences", List.of("https://api.example.com/?key=" + secret)));
        for (Map<String, Object> body : bodies) {
            BrokerClient.Response r = client.postJson("/v1/agents", admin, body);
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(r.raw()).doesNotContain(secret).doesNotContain(clientSecret);
        }
        assertThat(auditText()).doesNotContain(clientSecret).doesNotContain(secret);
    }

    @Test
    void aSecretQuotedByAnErrorMessageIsRedacted() {
        for (BrokerClient.Response r : List.of(client.get("/v1/agents/" + secret, admin),
                client.get("/v1/webhooks/" + secret, admin),
                client.get("/v1/audit/trace/" + secret, admin),
                client.get("/v1/" + secret, admin),
                client.postJson("/v1/webhooks", admin, Map.of("url", "https://hooks.example.com/x",
                        "events", List.of(secret))))) {
            assertThat(r.status()).as(r.raw()).isBetween(400, 499);
            assertThat(r.raw()).doesNotContain(secret);
        }
        JsonNode session = client.login(broker.adminCredentials().get("client_id").asText(),
                broker.adminCredentials().get("client_secret").asText()).body();
        BrokerClient.Response exchange = client.exchange(session.get("access_token").asText(),
                Map.of("scope", "x:read " + secret));
        assertThat(exchange.status()).as(exchange.raw()).isBetween(400, 499);
        assertThat(exchange.raw()).doesNotContain(secret);
    }

    private String auditText() {
        BrokerClient.Response r = client.get("/v1/audit?limit=1000", admin);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.raw();
    }
}

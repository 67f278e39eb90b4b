package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The walking skeleton end to end over real HTTP and real SQLite: the README's quickstart, as a test. */
class BrokerFlowTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static BrokerClient client;

    /** A fresh admin token: admin tokens are critical tier and live 2 minutes, and tests move time. */
    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    @BeforeAll
    static void setUp() {
        client = broker.client();
    }

    @Test
    void agentGetsSessionThenTaskTokenAndUsesItUntilRevoked() {
        JsonNode agent = client.createAgent(admin(), "flow-agent", "llm", List.of("orders:read", "orders:write"),
                List.of("https://orders.example"));
        assertThat(agent.get("client_secret").asText()).matches("mfy_cs_[0-9A-Za-z]{38}");
        assertThat(agent.get("client_id").asText()).startsWith("cid_");

        BrokerClient.Response session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText());
        assertThat(session.status()).isEqualTo(200);
        JsonNode s = session.body();
        assertThat(s.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(s.get("refresh_token").asText()).matches("mfy_rt_[0-9A-Za-z]{38}");
        assertThat(s.get("scope").asText()).isEqualTo("orders:read orders:write");
        assertThat(s.get("expires_in").asLong()).isEqualTo(600); // standard tier
        long refreshAfter = s.get("refresh_after").asLong();
        assertThat(refreshAfter).isBetween(360L, 480L);
        assertThat(s.get("session_id").asText()).startsWith("ses_");

        BrokerClient.Response task = client.exchange(s.get("access_token").asText(),
                Map.of("scope", "orders:read", "task_id", "task-42"));
        assertThat(task.status()).as(task.raw()).isEqualTo(200);
        JsonNode t = task.body();
        assertThat(t.get("issued_token_type").asText()).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(t.get("task_id").asText()).isEqualTo("task-42");
        assertThat(t.get("scope").asText()).isEqualTo("orders:read");
        assertThat(t.get("expires_in").asLong()).isEqualTo(900); // low tier, :read
        assertThat(t.has("refresh_token")).isFalse();

        BrokerClient.Response who = client.get("/v1/whoami", t.get("access_token").asText());
        assertThat(who.status()).isEqualTo(200);
        JsonNode data = who.body().get("data");
        assertThat(who.body().get("ok").asBoolean()).isTrue();
        assertThat(data.get("agent_id").asText()).isEqualTo(agent.get("agent_id").asText());
        assertThat(data.get("task_id").asText()).isEqualTo("task-42");
        assertThat(data.get("token_kind").asText()).isEqualTo("task");
        assertThat(data.get("session_id").asText()).isEqualTo(s.get("session_id").asText());
        assertThat(data.get("tier").asText()).isEqualTo("low");
        assertThat(data.get("expires_in_s").asLong()).isEqualTo(900);

        broker.clock().advance(Duration.ofMinutes(5));
        assertThat(client.get("/v1/whoami", t.get("access_token").asText()).body().at("/data/expires_in_s").asLong())
                .isEqualTo(600);

        BrokerClient.Response revoke = client.postJson("/v1/revocations", admin(),
                Map.of("task_id", "task-42", "agent_id", agent.get("agent_id").asText(), "reason", "task finished"));
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(201);
        assertThat(revoke.body().at("/data/seq").asLong()).isPositive();

        BrokerClient.Response after = client.get("/v1/whoami", t.get("access_token").asText());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        // The session itself is untouched by a task revocation.
        assertThat(client.get("/v1/whoami", s.get("access_token").asText()).status()).isEqualTo(200);
        // And the revoked task id can never get a token again.
        BrokerClient.Response again = client.exchange(s.get("access_token").asText(), Map.of("task_id", "task-42"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(again.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void loginAndRefreshNamingAResourceGetATokenForThatResourceOnly() {
        // RFC 8707 as the MCP authorization spec uses it: the client sends `resource` on every token request.
        JsonNode agent = client.createAgent(admin(), "rfc8707-agent", "interactive", List.of("files:read"),
                List.of("https://mcp.files.example/mcp"));
        String id = agent.get("client_id").asText();
        String secret = agent.get("client_secret").asText();
        BrokerClient.Response login = client.login(id, secret, Map.of("resource", "https://mcp.files.example/mcp"));
        assertThat(login.status()).as(login.raw()).isEqualTo(200);
        assertThat(audience(login.body().get("access_token").asText())).isEqualTo("https://mcp.files.example/mcp");
        // A token for the resource is not a session token: the resource cannot exchange it for others.
        BrokerClient.Response passthrough = client.exchange(login.body().get("access_token").asText(), Map.of());
        assertThat(passthrough.status()).as(passthrough.raw()).isEqualTo(400);
        assertThat(passthrough.body().get("error").asText()).isEqualTo("invalid_grant");

        BrokerClient.Response refreshed = client.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "refresh_token", login.body().get("refresh_token").asText(),
                "resource", "https://mcp.files.example/mcp"), null, null);
        assertThat(refreshed.status()).as(refreshed.raw()).isEqualTo(200);
        assertThat(audience(refreshed.body().get("access_token").asText())).isEqualTo("https://mcp.files.example/mcp");
        // Without a resource the session token is the broker's, as before.
        BrokerClient.Response plain = client.login(id, secret);
        assertThat(audience(plain.body().get("access_token").asText())).isEqualTo(broker.issuer());

        BrokerClient.Response other = client.login(id, secret, Map.of("resource", "https://elsewhere.example"));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("error").asText()).isEqualTo("invalid_target");
        BrokerClient.Response badRefresh = client.postForm("/oauth/token", Map.of("grant_type", "refresh_token",
                "refresh_token", refreshed.body().get("refresh_token").asText(),
                "resource", "https://elsewhere.example"), null, null);
        assertThat(badRefresh.body().get("error").asText()).isEqualTo("invalid_target");
        // A refused resource leaves the presented refresh token unrotated: it still works.
        assertThat(client.refresh(refreshed.body().get("refresh_token").asText()).status()).isEqualTo(200);
    }

    /** The token's single audience, read from its payload (the broker signed it; this only reads it). */
    private static String audience(String jwt) {
        try {
            JsonNode claims = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                    java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
            JsonNode aud = claims.get("aud");
            return aud.isArray() ? (aud.size() == 1 ? aud.get(0).asText() : aud.toString()) : aud.asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void taskTokenWithoutAudienceIsForTheBrokerAndOneWithAudienceIsNot() {
        JsonNode agent = client.createAgent(admin(), "aud-agent", "interactive", List.of("files:read"),
                List.of("https://files.example"));
        String sessionToken = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText())
                .body().get("access_token").asText();

        JsonNode own = client.exchange(sessionToken, Map.of()).body();
        assertThat(own.get("audience").asText()).isEqualTo(broker.issuer());

        JsonNode files = client.exchange(sessionToken, Map.of("audience", "https://files.example")).body();
        assertThat(files.get("audience").asText()).isEqualTo("https://files.example");
        // /v1/whoami accepts any audience; an audience the agent was not given is refused.
        assertThat(client.get("/v1/whoami", files.get("access_token").asText()).status()).isEqualTo(200);
        BrokerClient.Response other = client.exchange(sessionToken, Map.of("audience", "https://not-allowed.example"));
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().get("error").asText()).isEqualTo("invalid_target");
        assertThat(other.body().get("code").asText()).isEqualTo("PERMISSION_DENIED");
    }

    @Test
    void scopesBeyondTheAgentsAreRefusedAtLoginAndAtExchange() {
        JsonNode agent = client.createAgent(admin(), "narrow-agent", "interactive", List.of("a:read"), List.of());
        BrokerClient.Response login = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText(),
                Map.of("scope", "a:read b:write"));
        assertThat(login.status()).isEqualTo(400);
        assertThat(login.body().get("error").asText()).isEqualTo("invalid_scope");
        assertThat(login.body().get("code").asText()).isEqualTo("PERMISSION_DENIED");
        assertThat(login.body().get("missing_scopes")).hasSize(1);
        assertThat(login.body().get("missing_scopes").get(0).asText()).isEqualTo("b:write");
    }

    @Test
    void healthAndReadiness() {
        assertThat(client.get("/healthz", null).status()).isEqualTo(200);
        BrokerClient.Response ready = client.get("/readyz", null);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body().at("/checks/database").asBoolean()).isTrue();
    }

    @Test
    void unknownEndpointIsNotFoundInTheEnvelope() {
        BrokerClient.Response r = client.get("/v1/nope", admin());
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().get("ok").asBoolean()).isFalse();
        assertThat(r.body().at("/error/code").asText()).isEqualTo("NOT_FOUND");
        assertThat(r.body().has("data")).isTrue();
        assertThat(r.body().get("data").isNull()).isTrue();
    }
}

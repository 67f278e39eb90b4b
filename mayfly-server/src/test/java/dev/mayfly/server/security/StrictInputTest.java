package dev.mayfly.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 13: input that is almost right is refused, in the envelope, with a client-error code: an HTTP
 * version the broker does not speak, a {@code /v1} body that is not declared JSON or has something after its
 * JSON value, integers written with a sign or non-ASCII digits, and audiences that are neither an absolute
 * http(s)/urn URI nor a plain identifier.
 */
class StrictInputTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final HttpClient http = HttpClient.newHttpClient();
    private BrokerClient client;
    private String admin;

    @BeforeEach
    void setUp() {
        client = broker.client();
        admin = client.adminToken(broker.adminCredentials());
    }

    @Test
    void anUnsupportedHttpVersionIsAUsageErrorNeverInternal() throws Exception {
        for (String version : List.of("HTTP/2.0", "HTTP/1.2", "HTTP/3.0", "HTTP/9.9", "HTTP/0.9", "HTTP/1.10", "HTTX/1.1")) {
            String answer = raw("GET /healthz " + version + "\r\nHost: localhost\r\n\r\n");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertThat(status).as(version + ": " + answer).isBetween(400, 499);
            JsonNode envelope = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(envelope.get("ok").asBoolean()).isFalse();
            assertThat(envelope.at("/error/code").asText()).as(version).isEqualTo("USAGE");
            assertThat(envelope.at("/error/message").asText()).as(version + ": " + answer).contains("HTTP/1.1");
        }
    }

    @Test
    void v1JsonEndpointsRequireTheJsonContentType() throws Exception {
        String body = Json.write(Map.of("jti", "ctype-" + System.nanoTime()));
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "application/jsonx", "")) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations"))
                    .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.ofString(body));
            if (!type.isEmpty()) {
                b.header("Content-Type", type);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("Content-Type '" + type + "': " + r.body()).isEqualTo(415);
            assertThat(Json.mapper().readTree(r.body()).at("/error/code").asText()).isEqualTo("USAGE");
        }
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "Application/JSON; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }

    @Test
    void anythingAfterTheJsonValueIsRefused() throws Exception {
        for (String body : List.of("{\"jti\":\"a-" + System.nanoTime() + "\"} trailing",
                "{\"jti\":\"b-" + System.nanoTime() + "\"}{\"jti\":\"c\"}",
                "{\"jti\":\"d-" + System.nanoTime() + "\"}]",
                "{\"jti\":\"e\",\"jti\":\"f-" + System.nanoTime() + "\"}")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(client.base() + "/v1/revocations"))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(body + ": " + r.body()).isEqualTo(400);
            assertThat(Json.mapper().readTree(r.body()).at("/error/code").asText()).isEqualTo("USAGE");
        }
    }

    @Test
    void integersAreAsciiDigitsOnly() {
        String session = client.login(broker.adminCredentials().get("client_id").asText(),
                broker.adminCredentials().get("client_secret").asText()).body().get("access_token").asText();
        for (String ttl : List.of("+60", "\u0663", "6\u0660", "\uff16\uff10", " 60", "60 ", "0x3c", "-1", "1e2")) {
            BrokerClient.Response r = client.exchange(session, Map.of("ttl", ttl));
            assertThat(r.status()).as("ttl=" + ttl + ": " + r.raw()).isEqualTo(400);
            assertThat(r.body().get("error").asText()).isEqualTo("invalid_request");
            assertThat(r.body().get("code").asText()).isEqualTo("USAGE");
        }
        assertThat(client.exchange(session, Map.of("ttl", "60")).status()).isEqualTo(200);
        for (String query : List.of("/v1/revocations?since=%2B1", "/v1/revocations?limit=%D9%A3",
                "/v1/audit?limit=%2B5", "/v1/audit?after=%EF%BC%91", "/v1/agents?limit=%2B5")) {
            BrokerClient.Response r = client.get(query, admin);
            assertThat(r.status()).as(query + ": " + r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
        }
        assertThat(client.get("/v1/revocations?since=1&limit=5", admin).status()).isEqualTo(200);
    }

    @Test
    void audiencesAreAbsoluteHttpOrUrnUrisOrPlainIdentifiers() {
        for (String bad : List.of("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "file:///etc/passwd",
                "https://api.example.com\u0000evil", "api\u0000", "orders\napi", "https://", "https:///path",
                "//api.example.com", "urn:", "urn:x", "http://api.example.com/#frag", "api.example.com/path",
                "ftp://files.example.com")) {
            BrokerClient.Response r = client.postJson("/v1/agents", admin, Map.of("name", "aud-" + System.nanoTime(),
                    "scopes", List.of("x:read"), "audiences", List.of(bad)));
            assertThat(r.status()).as("audience '" + bad + "': " + r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
        }
        JsonNode agent = client.createAgent(admin, "aud-ok-" + System.nanoTime(), "llm", List.of("x:read"),
                List.of("https://api.example.com", "http://localhost:8080/orders", "urn:example:orders", "orders-api",
                        "orders.example.com"));
        assertThat(agent.get("audiences")).hasSize(5);

        String session = client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
        for (String bad : List.of("javascript:alert(1)", "https://api.example.com\u0000")) {
            BrokerClient.Response r = client.exchange(session, Map.of("audience", bad));
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.body().get("error").asText()).isEqualTo("invalid_target");
            assertThat(r.body().get("code").asText()).isEqualTo("USAGE");
        }
        assertThat(client.exchange(session, Map.of("audience", "urn:example:orders")).status()).isEqualTo(200);
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", broker.broker().port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

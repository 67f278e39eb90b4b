package dev.mayfly.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fuzzes {@code POST /oauth/token} of a real broker started in this JVM: arbitrary bodies (form fields the
 * fuzzer assembles, or raw bytes), content types and client authentication. Properties: never a 5xx, never
 * a token for a request that carries no valid credential, and every refusal is an RFC 6749 JSON error with
 * Mayfly's catalog {@code code} beside it.
 */
class TokenEndpointFuzzTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> GRANTS = List.of("client_credentials", "refresh_token",
            "urn:ietf:params:oauth:grant-type:token-exchange", "password", "");
    private static final List<String> NAMES = List.of("grant_type", "scope", "refresh_token", "subject_token",
            "subject_token_type", "requested_token_type", "audience", "resource", "task_id", "ttl", "client_id",
            "client_secret", "actor_token");
    private static final List<String> CONTENT_TYPES = List.of("application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=ISO-8859-1", "application/json", "text/plain",
            "multipart/form-data; boundary=x");

    @FuzzTest(maxDuration = "5m")
    void tokenRequests(FuzzedDataProvider data) throws Exception {
        String contentType = data.pickValue(CONTENT_TYPES);
        String authorization = switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> "Basic " + Base64.getEncoder().encodeToString(data.consumeString(80).getBytes(StandardCharsets.UTF_8));
            case 2 -> "Basic " + data.consumeString(80).replaceAll("[\\r\\n]", "");
            default -> "Bearer " + data.consumeString(80).replaceAll("[\\r\\n]", "");
        };
        byte[] body;
        if (data.consumeBoolean()) {
            body = data.consumeRemainingAsBytes();
        } else {
            StringBuilder form = new StringBuilder("grant_type=").append(data.pickValue(GRANTS));
            while (data.remainingBytes() > 0) {
                form.append('&').append(data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(20))
                        .append('=').append(data.consumeString(100));
            }
            body = form.toString().getBytes(StandardCharsets.UTF_8);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(broker.issuer() + "/oauth/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            try {
                request.header("Authorization", authorization);
            } catch (IllegalArgumentException notAHeaderValue) {
                return; // java.net.http refuses to send it; Jetty would refuse it as a bad request anyway
            }
        }
        HttpResponse<String> r;
        try {
            r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException closed) {
            // The server may close the connection on a body over the size limit; anything else is a bug.
            assertThat(body.length).as("connection dropped: %s", closed.getMessage()).isGreaterThan(64 * 1024);
            return;
        }
        assertThat(r.statusCode()).as(r.body()).isIn(400, 401, 413, 429);
        JsonNode json = Json.mapper().readTree(r.body());
        assertThat(json.path("error").asText()).as(r.body()).isNotBlank();
        assertThat(json.path("code").asText()).as(r.body()).isNotBlank().isNotEqualTo("INTERNAL");
        assertThat(json.has("access_token")).isFalse();
    }
}

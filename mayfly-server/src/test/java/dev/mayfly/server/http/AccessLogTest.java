package dev.mayfly.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * The access log's lines skip the log converter's scan ({@link AccessLog#MASKED_AT_SOURCE}), so they must be safe
 * as written: a token the client puts in the query string, the request id header or the path never reaches one.
 * Real broker, real requests; the lines are read as the logger received them, before any converter.
 */
class AccessLogTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void listen() {
        lines.start();
        accessLogger().addAppender(lines);
    }

    @AfterEach
    void stop() {
        accessLogger().detachAppender(lines);
    }

    @Test
    void aTokenInTheQueryStringOrTheRequestIdHeaderNeverReachesTheLine() throws Exception {
        String jwt = sessionToken();
        String refresh = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.client().base()
                        + "/oauth/token?access_token=" + jwt + "&refresh_token=" + refresh))
                .header("X-Request-Id", refresh)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);

        ILoggingEvent line = lineOf(r);
        assertThat(line.getFormattedMessage()).doesNotContain(jwt).doesNotContain(jwt.substring(0, 12))
                .doesNotContain(refresh.substring(0, 12)).contains("route=/oauth/token ").contains("status=401");
        assertThat(line.getMarkerList()).contains(AccessLog.MASKED_AT_SOURCE);
    }

    @Test
    void aTokenPastedWhereAnIdGoesIsRedactedInTheRoute() throws Exception {
        String jwt = sessionToken();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(broker.client().base() + "/v1/agents/" + jwt
                        + "?access_token=" + jwt)).header("Authorization", "Bearer " + jwt).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        String message = lineOf(r).getFormattedMessage();
        // The mask keeps the token's kind ("eyJ********"), never more of it.
        assertThat(message).doesNotContain(jwt.substring(0, 12)).contains("route=/v1/agents/eyJ****");
    }

    @Test
    void onlyStandardMethodsAreLoggedAsSent() {
        String refresh = OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
        assertThat(AccessLog.loggableMethod("POST")).isEqualTo("POST");
        assertThat(AccessLog.loggableMethod(refresh)).doesNotContain(refresh);
    }

    /**
     * The one access line of the response's request (found by the request id the broker answered with). The line is
     * written after the response is sent, so it may arrive a moment after the response does.
     */
    private ILoggingEvent lineOf(HttpResponse<String> r) throws InterruptedException {
        String requestId = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(requestId).startsWith("req_");
        long deadline = System.nanoTime() + 5_000_000_000L;
        List<ILoggingEvent> mine;
        do {
            synchronized (lines) { // ListAppender appends under its own lock: copy under the same one
                mine = lines.list.stream()
                        .filter(e -> e.getFormattedMessage().startsWith("request_id=" + requestId + " "))
                        .collect(Collectors.toList());
            }
            if (mine.isEmpty()) {
                Thread.sleep(10);
            }
        } while (mine.isEmpty() && System.nanoTime() < deadline);
        assertThat(mine).as(() -> lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                .collect(Collectors.joining("\n"))).hasSize(1);
        return mine.get(0);
    }

    private static String sessionToken() {
        BrokerClient client = broker.client();
        String admin = client.adminToken(broker.adminCredentials());
        JsonNode agent = client.createAgent(admin, "access-log-" + System.nanoTime(), "llm", List.of("docs:read"), List.of());
        return client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body()
                .get("access_token").asText();
    }

    private static Logger accessLogger() {
        return (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
    }
}

package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.revocation.RevocationFeedCodec;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 item 4: the revocation stream lives no longer than the credential that opened it. When that token
 * is revoked (its jti, session or agent) or expires, the broker sends a last {@code event: closed} whose data
 * is the catalog error saying why, and ends the response. Real HTTP; expiry by moving the broker's clock.
 */
class RevocationStreamCredentialTest {
    /** A guard against a stream that never ends (the bug), not a measurement. */
    private static final long GUARD_SECONDS = 20;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.feedHeartbeat(Duration.ofMillis(100)));

    static BrokerClient client;
    static JsonNode reader;

    @BeforeAll
    static void setUp() {
        client = broker.client();
        reader = client.createAgent(admin(), "stream-reader", "interactive", List.of("mayfly:revocations:read"), List.of());
    }

    static String admin() {
        return client.adminToken(broker.adminCredentials());
    }

    private static JsonNode login() {
        return client.login(reader.get("client_id").asText(), reader.get("client_secret").asText()).body();
    }

    /** The stream's event lines, read in the background until the broker ends the response. */
    private static CompletableFuture<List<String>> open(String token) throws Exception {
        return open(token, new LinkedBlockingQueue<>());
    }

    /** As {@link #open(String)}, also handing each line to {@code live} as it arrives. */
    private static CompletableFuture<List<String>> open(String token, BlockingQueue<String> live) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/revocations/stream"))
                .header("Authorization", "Bearer " + token).build();
        HttpResponse<java.io.InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> lines = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            List<String> seen = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    seen.add(line);
                    live.add(line);
                }
                lines.complete(seen);
            } catch (Exception e) {
                lines.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return lines;
    }

    /** The data of the stream's last event, which must be {@code closed}. */
    private static JsonNode closedEvent(List<String> lines) throws Exception {
        int at = lines.lastIndexOf("event: closed");
        assertThat(at).as("a closed event in %s", lines).isGreaterThanOrEqualTo(0);
        assertThat(lines.subList(at + 1, lines.size()).stream().filter(l -> l.startsWith("event: ")))
                .as("nothing after it").isEmpty();
        return Json.mapper().readTree(lines.get(at + 1).substring("data: ".length()));
    }

    @Test
    void aStreamEndsWithAClosedEventWhenItsTokenIsRevoked() throws Exception {
        JsonNode session = login();
        String token = session.get("access_token").asText();
        CompletableFuture<List<String>> lines = open(token);
        assertThat(client.postJson("/v1/revocations", admin(), Map.of("session_id", session.get("session_id").asText()))
                .status()).isEqualTo(201);

        JsonNode why = closedEvent(lines.get(GUARD_SECONDS, TimeUnit.SECONDS));
        assertThat(why.get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(why.get("message").asText()).isNotBlank().doesNotContain(token);
        assertThat(why.has("reauth_command")).isTrue();
    }

    @Test
    void aStreamEndsWithAClosedEventWhenItsTokenExpires() throws Exception {
        JsonNode session = login();
        CompletableFuture<List<String>> lines = open(session.get("access_token").asText());
        broker.clock().advance(Duration.ofSeconds(session.get("expires_in").asLong()).plusMinutes(1));

        JsonNode why = closedEvent(lines.get(GUARD_SECONDS, TimeUnit.SECONDS));
        assertThat(why.get("code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
        assertThat(why.get("expired_at").asText()).isNotBlank();
    }

    @Test
    void aStreamWhoseTokenStaysValidStaysOpen() throws Exception {
        JsonNode session = login();
        BlockingQueue<String> live = new LinkedBlockingQueue<>();
        CompletableFuture<List<String>> lines = open(session.get("access_token").asText(), live);
        // someone else's revocation is an event on the stream, not the end of it
        assertThat(client.postJson("/v1/revocations", admin(), Map.of("jti", "another-token")).status()).isEqualTo(201);
        awaitLine(live, "event: " + RevocationFeedCodec.REVOCATION);
        // the token is checked again after every event and heartbeat: three heartbeats on, the stream is still open
        for (int i = 0; i < 3; i++) {
            awaitLine(live, "event: " + RevocationFeedCodec.HEARTBEAT);
        }
        assertThat(lines).isNotDone();
        assertThat(client.postJson("/v1/revocations", admin(), Map.of("session_id", session.get("session_id").asText()))
                .status()).isEqualTo(201);
        assertThat(lines.get(GUARD_SECONDS, TimeUnit.SECONDS)).contains("event: closed");
    }

    /** Takes lines off the live stream until {@code wanted} arrives; fails if the stream ends or goes quiet. */
    private static void awaitLine(BlockingQueue<String> live, String wanted) throws InterruptedException {
        for (String line = live.poll(GUARD_SECONDS, TimeUnit.SECONDS); ; line = live.poll(GUARD_SECONDS, TimeUnit.SECONDS)) {
            assertThat(line).as("'%s' on the stream", wanted).isNotNull();
            if (line.equals(wanted)) {
                return;
            }
        }
    }
}

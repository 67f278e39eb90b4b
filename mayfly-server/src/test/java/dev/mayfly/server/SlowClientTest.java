package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.http.HttpLimits;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Slow and oversized clients, over real sockets, against a broker with a short (1 s) request deadline. No
 * assertion measures time: a slow client is shown cut off because its connection closes before it finished
 * sending, which without the deadline it never would (the idle timeout is far longer than its pauses).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientTest {
    private static final long PAUSE_MS = 100; // between the slow client's bytes: well inside the idle timeout

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.limits(HttpLimits.defaults()
            .withRequestReadTimeout(Duration.ofSeconds(1))
            .withIdleTimeout(Duration.ofSeconds(30))
            .withMaxRequestHeaderBytes(4096)));

    @Test
    void headersSentByteByByteAreCutOffWhileOtherClientsAreServed() throws Exception {
        List<SlowSocket> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            SlowSocket s = new SlowSocket();
            s.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
            slow.add(s);
        }
        // 300 header bytes at one per pause: 30 s of sending if nobody stopped them.
        String header = "X-Slow: " + "a".repeat(290) + "\r\n\r\n";
        for (int i = 0; i < header.length() && slow.stream().anyMatch(s -> !s.closedByServer()); i++) {
            for (SlowSocket s : slow) {
                s.trySend(header.substring(i, i + 1));
            }
            if (i == 3) {
                BrokerClient.Response ok = broker.client().get("/healthz", null);
                assertThat(ok.status()).isEqualTo(200);
            }
            Thread.sleep(PAUSE_MS);
        }
        for (SlowSocket s : slow) {
            assertThat(s.closedByServer()).as("slow connection closed by the broker").isTrue();
            assertThat(s.received()).as("nothing answered to a request that never arrived").isEmpty();
            s.close();
        }
        assertThat(broker.client().get("/healthz", null).status()).isEqualTo(200);
    }

    @Test
    void theNextRequestOnAKeptAliveConnectionHasTheSameDeadline() throws Exception {
        try (SlowSocket s = new SlowSocket()) {
            s.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            String next = "GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + "b".repeat(300) + "\r\n\r\n";
            for (int i = 0; i < next.length() && !s.closedByServer(); i++) {
                s.trySend(next.substring(i, i + 1));
                Thread.sleep(PAUSE_MS);
            }
            assertThat(s.closedByServer()).isTrue();
            String answered = s.received();
            assertThat(answered.split("HTTP/1.1 200", -1)).as("only the first request was answered").hasSize(2);
        }
    }

    @Test
    void aConnectionThatNeverSendsARequestIsClosed() throws Exception {
        try (SlowSocket s = new SlowSocket()) {
            s.awaitClose();
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void aBodyDribbledSlowerThanTheDeadlineIsRefused() throws Exception {
        try (SlowSocket s = new SlowSocket()) {
            String body = "{\"tokens\": [\"" + "c".repeat(200) + "\"]}";
            s.send("POST /v1/leaks HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n");
            for (int i = 0; i < body.length() && !s.closedByServer() && s.received().isEmpty(); i++) {
                s.trySend(body.substring(i, i + 1));
                Thread.sleep(PAUSE_MS);
            }
            s.awaitClose();
            String answer = s.received();
            assertThat(answer).startsWith("HTTP/1.1 400");
            JsonNode envelope = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(envelope.at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(envelope.at("/error/message").asText()).contains("did not arrive in time");
        }
    }

    @Test
    void oversizedHeadersAreRefusedInTheEnvelope() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/whoami"))
                .header("X-Big", "d".repeat(8000)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(431);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode envelope = Json.mapper().readTree(r.body());
        assertThat(envelope.get("ok").asBoolean()).isFalse();
        assertThat(envelope.at("/error/code").asText()).isEqualTo("USAGE");
        assertThat(envelope.at("/error/message").asText()).contains("4096 bytes");
        assertThat(r.body()).doesNotContain("ddddd");
    }

    @Test
    void oversizedBodiesAreUsageErrorsWithOrWithoutALength() throws Exception {
        byte[] big = ("{\"tokens\": [\"" + "e".repeat(70_000) + "\"]}").getBytes(StandardCharsets.US_ASCII);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder withLength = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/leaks"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big));
        HttpRequest.Builder chunked = HttpRequest.newBuilder(URI.create(broker.issuer() + "/v1/leaks"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        // Several rounds: the refusal must reach a client that is still sending (no reset loses it).
        for (HttpRequest.Builder b : List.of(withLength, chunked, withLength, chunked, withLength, chunked)) {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            JsonNode envelope = Json.mapper().readTree(r.body());
            assertThat(envelope.at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(envelope.at("/error/message").asText()).contains("larger than 65536 bytes");
        }
    }

    /** A raw client socket whose answers are read in the background, so the test sees when the broker closes it. */
    private static final class SlowSocket implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final StringBuffer received = new StringBuffer();
        private final CompletableFuture<Void> eof = new CompletableFuture<>();

        SlowSocket() throws IOException {
            socket = new Socket("127.0.0.1", broker.broker().port());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        received.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException e) {
                    // reset by the broker: closed as well
                }
                eof.complete(null);
            }, "slow-socket-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void trySend(String s) {
            try {
                send(s);
            } catch (IOException e) {
                // the broker closed it; the reader sees that too
            }
        }

        boolean closedByServer() {
            return eof.isDone();
        }

        void awaitClose() throws Exception {
            eof.get(30, TimeUnit.SECONDS);
        }

        String received() {
            return received.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

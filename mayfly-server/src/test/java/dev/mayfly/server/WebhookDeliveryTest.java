package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.mayfly.core.json.Json;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.RawHttpReceiver;
import dev.mayfly.core.webhook.WebhookSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Webhooks over real HTTP: signed deliveries, retries while the receiver is down, every attempt recorded. */
class WebhookDeliveryTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.webhookPoll(Duration.ofHours(1)).insecure(true)); // the receivers speak plain http

    record Received(String signature, byte[] body, String event) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger answer = new AtomicInteger(204);
    private HttpServer receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = startReceiverOn(0);
    }

    private HttpServer startReceiverOn(int port) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        s.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestHeaders().getFirst("Mayfly-Signature"), body,
                    exchange.getRequestHeaders().getFirst("Mayfly-Event")));
            exchange.sendResponseHeaders(answer.get(), -1);
            exchange.close();
        });
        s.start();
        return s;
    }

    @AfterEach
    void stopReceiverAndDeleteWebhooks() {
        receiver.stop(0);
        String admin = admin();
        for (JsonNode w : broker.client().get("/v1/webhooks", admin).body().at("/data/webhooks")) {
            broker.client().delete("/v1/webhooks/" + w.get("webhook_id").asText(), admin);
        }
        broker.broker().webhookDispatcher().runDue(); // settles what is left: their webhooks are gone
    }

    private String admin() {
        return broker.client().adminToken(broker.adminCredentials());
    }

    private JsonNode register() {
        BrokerClient.Response r = broker.client().postJson("/v1/webhooks", admin(), Map.of(
                "url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook", "events", List.of("revocation.created")));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(r.body().at("/data/secret").asText()).matches("mfy_wh_[0-9A-Za-z]{38}");
        return r.body().get("data");
    }

    private void revoke(String jti) {
        assertThat(broker.client().postJson("/v1/revocations", admin(), Map.of("jti", jti)).status()).isEqualTo(201);
    }

    @Test
    void aRevocationIsDeliveredSignedAndATamperedBodyFailsVerification() throws Exception {
        JsonNode hook = register();
        revoke("webhook-jti-1");
        assertThat(broker.broker().webhookDispatcher().runDue()).isEqualTo(1);

        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.event()).isEqualTo("revocation.created");
        String secret = hook.get("secret").asText();
        assertThat(WebhookSignature.verify(secret, r.signature(), r.body(), broker.clock()))
                .isEqualTo(WebhookSignature.Result.VALID);
        JsonNode event = Json.mapper().readTree(r.body());
        assertThat(event.get("type").asText()).isEqualTo("revocation.created");
        assertThat(event.at("/data/target").asText()).isEqualTo("webhook-jti-1");
        byte[] tampered = new String(r.body(), StandardCharsets.UTF_8).replace("webhook-jti-1", "webhook-jti-2")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.verify(secret, r.signature(), tampered, broker.clock()))
                .isEqualTo(WebhookSignature.Result.MISMATCH);
        broker.clock().advance(Duration.ofMinutes(6));
        assertThat(WebhookSignature.verify(secret, r.signature(), r.body(), broker.clock()))
                .as("a replay past the tolerance").isEqualTo(WebhookSignature.Result.STALE);

        BrokerClient.Response list = broker.client().get("/v1/webhooks", admin());
        assertThat(list.raw()).doesNotContain(secret);
        broker.client().postJson("/v1/webhooks", admin(), Map.of()); // noise: invalid, must not break anything
        assertThat(broker.client().get("/v1/webhooks/" + hook.get("webhook_id").asText(), admin()).raw()).doesNotContain(secret);
    }

    @Test
    void aReceiverThatIsDownGetsTheDeliveryAfterItReturnsWithEveryAttemptRecorded() throws IOException {
        JsonNode hook = register();
        String id = hook.get("webhook_id").asText();
        answer.set(503);
        revoke("webhook-jti-down");
        var dispatcher = broker.broker().webhookDispatcher();
        assertThat(dispatcher.runDue()).isEqualTo(1);
        assertThat(dispatcher.runDue()).as("not due again before its backoff").isZero();
        receiver.stop(0);
        broker.clock().advance(Duration.ofSeconds(2));
        assertThat(dispatcher.runDue()).isEqualTo(1); // connection refused

        answer.set(200);
        receiver = startReceiverOn(receiver.getAddress().getPort());
        broker.clock().advance(Duration.ofSeconds(5));
        assertThat(dispatcher.runDue()).isEqualTo(1);
        assertThat(received).hasSizeGreaterThanOrEqualTo(2);

        JsonNode deliveries = broker.client().get("/v1/webhooks/" + id + "/deliveries", admin()).body().at("/data/deliveries");
        JsonNode d = deliveries.get(0);
        assertThat(d.get("status").asText()).isEqualTo("delivered");
        assertThat(d.get("attempts").asInt()).isEqualTo(3);
        assertThat(d.at("/history/0/status_code").asInt()).isEqualTo(503);
        assertThat(d.at("/history/1/status_code").isNull()).isTrue();
        assertThat(d.at("/history/1/error").asText()).isNotBlank();
        assertThat(d.at("/history/2/status_code").asInt()).isEqualTo(200);
    }

    /**
     * A delivery is a plain HTTP/1.1 POST that carries what the receiver needs and nothing else: no
     * {@code Upgrade: h2c} (a receiver behind a proxy that mishandles it, or one that switches protocols on
     * it, must not be offered the switch), no {@code HTTP2-Settings}, no {@code Connection: Upgrade}, no
     * cookies, no credentials, no {@code Expect}.
     */
    @Test
    void aDeliveryIsAPlainHttp11PostWithOnlyItsOwnHeaders() throws Exception {
        try (RawHttpReceiver raw = new RawHttpReceiver(RawHttpReceiver.Mode.ANSWER)) {
            BrokerClient.Response r = broker.client().postJson("/v1/webhooks", admin(), Map.of(
                    "url", raw.url("/hook"), "events", List.of("revocation.created")));
            assertThat(r.status()).as(r.raw()).isEqualTo(201);
            revoke("webhook-jti-plain");
            assertThat(broker.broker().webhookDispatcher().runDue()).isEqualTo(1);

            assertThat(raw.requests()).hasSize(1);
            RawHttpReceiver.Request request = raw.requests().get(0);
            assertThat(request.requestLine()).isEqualTo("POST /hook HTTP/1.1");
            assertThat(request.headerNames()).as(request.headerLines().toString()).containsExactlyInAnyOrder(
                    "host", "content-length", "content-type", "user-agent", "mayfly-event", "mayfly-delivery",
                    "mayfly-signature");
        }
    }

    @Test
    void badRegistrationsAreRefusedAndADeletedWebhookGetsNothingMore() {
        BrokerClient.Response ftp = broker.client().postJson("/v1/webhooks", admin(), Map.of("url", "ftp://example/x"));
        assertThat(ftp.status()).isEqualTo(400);
        assertThat(ftp.body().at("/error/code").asText()).isEqualTo("USAGE");
        BrokerClient.Response unknownEvent = broker.client().postJson("/v1/webhooks", admin(),
                Map.of("url", "http://127.0.0.1:1/x", "events", List.of("token.eaten")));
        assertThat(unknownEvent.status()).isEqualTo(400);
        assertThat(broker.client().get("/v1/webhooks", null).status()).isEqualTo(401);

        String id = register().get("webhook_id").asText();
        BrokerClient.Response deleted = broker.client().delete("/v1/webhooks/" + id, admin());
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
        revoke("webhook-jti-after-delete");
        broker.broker().webhookDispatcher().runDue();
        assertThat(received).isEmpty();
        assertThat(broker.client().get("/v1/webhooks/" + id, admin()).status()).isEqualTo(404);
    }

    @Test
    void aDeliveryThatNeverSucceedsIsMarkedFailedAfterTheBound() {
        JsonNode hook = register();
        answer.set(500);
        revoke("webhook-jti-never");
        var dispatcher = broker.broker().webhookDispatcher();
        for (int i = 0; i < 20; i++) {
            dispatcher.runDue();
            broker.clock().advance(Duration.ofMinutes(11));
        }
        JsonNode d = broker.client().get("/v1/webhooks/" + hook.get("webhook_id").asText() + "/deliveries", admin())
                .body().at("/data/deliveries/0");
        assertThat(d.get("status").asText()).isEqualTo("failed");
        assertThat(d.get("attempts").asInt()).isEqualTo(10);
        assertThat(d.get("history")).hasSize(10);
    }
}

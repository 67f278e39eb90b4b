package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.RawHttpReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 item 6: one hanging webhook receiver must not delay deliveries to another. A receiver that reads
 * the request and never answers, and a healthy one, both on real loopback sockets; the hanging one is
 * registered first, so its deliveries come first in the outbox. The test asserts order, not latency: every
 * delivery to the healthy receiver arrives while the hanging receiver still holds its first request and
 * before any attempt at it has finished (each would take the 5 s answer deadline).
 */
class WebhookIsolationTest {
    private static final int REVOCATIONS = 3;
    /** Guards against a test that never ends; not a measurement. */
    private static final long GUARD_SECONDS = 60;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension(b -> b.webhookPoll(Duration.ofHours(1)).insecure(true)); // plain-http receivers

    private static String admin() {
        return broker.client().adminToken(broker.adminCredentials());
    }

    private static String register(RawHttpReceiver receiver) {
        BrokerClient.Response r = broker.client().postJson("/v1/webhooks", admin(), Map.of(
                "url", receiver.url("/hook"), "events", List.of("revocation.created")));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        return r.body().at("/data/webhook_id").asText();
    }

    private static JsonNode deliveries(String webhookId) {
        return broker.client().get("/v1/webhooks/" + webhookId + "/deliveries", admin()).body().at("/data/deliveries");
    }

    @Test
    void aHangingReceiverDoesNotDelayDeliveriesToAHealthyOne() throws Exception {
        try (RawHttpReceiver hanging = new RawHttpReceiver(RawHttpReceiver.Mode.HANG);
             RawHttpReceiver healthy = new RawHttpReceiver(RawHttpReceiver.Mode.ANSWER)) {
            String hangingId = register(hanging);
            String healthyId = register(healthy);
            for (int i = 0; i < REVOCATIONS; i++) {
                assertThat(broker.client().postJson("/v1/revocations", admin(), Map.of("jti", "isolation-" + i)).status())
                        .isEqualTo(201);
            }

            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> broker.broker().webhookDispatcher().runDue());
            healthy.awaitRequests(REVOCATIONS, GUARD_SECONDS);
            // The moment the healthy receiver has everything: the hanging one is still holding its first request,
            // and no attempt at it has finished.
            int finishedAtHanging = 0;
            for (JsonNode d : deliveries(hangingId)) {
                finishedAtHanging += d.get("attempts").asInt();
            }
            assertThat(healthy.requests()).as("every delivery to the healthy receiver").hasSize(REVOCATIONS);
            assertThat(finishedAtHanging).as("attempts at the hanging receiver finished before the healthy one had all")
                    .isZero();
            assertThat(hanging.requests()).as("the hanging receiver holds one request at a time").hasSize(1);

            hanging.close(); // its held request fails now, and the rest are refused: the run can finish
            run.get();
            JsonNode healthyDeliveries = deliveries(healthyId);
            assertThat(healthyDeliveries).hasSize(REVOCATIONS);
            healthyDeliveries.forEach(d -> assertThat(d.get("status").asText()).isEqualTo("delivered"));
        }
    }
}

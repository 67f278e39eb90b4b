package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Guessing client secrets is throttled per client id and per address, and the right secret waits too. */
class ClientAuthRateLimitTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void failedAuthenticationsAreRateLimitedThenRecover() {
        BrokerClient client = broker.client();
        JsonNode agent = client.createAgent(client.adminToken(broker.adminCredentials()), "guessed", "interactive",
                List.of("g:read"), List.of());
        String id = agent.get("client_id").asText();
        String wrong = "mfy_cs_" + "0".repeat(38);
        for (int i = 0; i < 10; i++) {
            assertThat(client.login(id, wrong).status()).isEqualTo(401);
        }
        BrokerClient.Response limited = client.login(id, wrong);
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.body().get("error").asText()).isEqualTo("slow_down");
        assertThat(limited.body().get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(limited.body().get("retry_after_ms").asLong()).isPositive();
        assertThat(limited.header("Retry-After")).isNotNull();
        assertThat(client.login(id, agent.get("client_secret").asText()).status())
                .as("the right secret waits as well").isEqualTo(429);

        broker.clock().advance(Duration.ofSeconds(2));
        assertThat(client.login(id, agent.get("client_secret").asText()).status()).isEqualTo(200);
    }
}

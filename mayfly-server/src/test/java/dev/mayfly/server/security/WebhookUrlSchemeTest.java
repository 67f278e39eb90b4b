package dev.mayfly.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18, item 5 (registration): a webhook delivery carries revocations, so it goes over https; plain http is
 * accepted only by a broker started with {@code --insecure} (a test rig, a receiver on the same host).
 */
class WebhookUrlSchemeTest {
    @RegisterExtension
    static final BrokerExtension secure = new BrokerExtension();
    @RegisterExtension
    static final BrokerExtension insecure = new BrokerExtension(b -> b.insecure(true));

    @Test
    void plainHttpIsRefusedWithAnErrorThatSaysWhy() {
        BrokerClient client = secure.client();
        String admin = client.adminToken(secure.adminCredentials());
        for (String url : new String[] {"http://hooks.example.com/mayfly", "http://127.0.0.1:9/hook", "HTTP://hooks.example.com/x"}) {
            BrokerClient.Response r = client.postJson("/v1/webhooks", admin, Map.of("url", url));
            assertThat(r.status()).as(url + ": " + r.raw()).isEqualTo(400);
            assertThat(r.body().at("/error/code").asText()).isEqualTo("USAGE");
            assertThat(r.body().at("/error/message").asText()).contains("https").contains("--insecure");
        }
        assertThat(client.postJson("/v1/webhooks", admin, Map.of("url", "https://hooks.example.com/mayfly")).status())
                .isEqualTo(201);
    }

    @Test
    void anInsecureBrokerAcceptsPlainHttp() {
        BrokerClient client = insecure.client();
        String admin = client.adminToken(insecure.adminCredentials());
        BrokerClient.Response r = client.postJson("/v1/webhooks", admin, Map.of("url", "http://127.0.0.1:9/hook"));
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }
}

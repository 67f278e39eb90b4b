package dev.mayfly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Refresh-token rotation, reuse detection and session lifetime, over real HTTP and SQLite. */
class RefreshRotationTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static BrokerClient client;
    static JsonNode agent;

    @BeforeAll
    static void setUp() {
        client = broker.client();
        agent = client.createAgent(client.adminToken(broker.adminCredentials()), "refresher", "interactive",
                List.of("jobs:run"), List.of());
    }

    private static JsonNode login() {
        return client.login(agent.get("client_id").asText(), agent.get("client_secret").asText()).body();
    }

    @Test
    void everyRefreshRotatesAndReuseRevokesTheWholeSession() {
        JsonNode s0 = login();
        String rt0 = s0.get("refresh_token").asText();
        JsonNode s1 = client.refresh(rt0).body();
        String rt1 = s1.get("refresh_token").asText();
        assertThat(rt1).isNotEqualTo(rt0).matches("mfy_rt_[0-9A-Za-z]{38}");
        assertThat(s1.get("session_id").asText()).isEqualTo(s0.get("session_id").asText());
        assertThat(s1.get("access_token").asText()).isNotEqualTo(s0.get("access_token").asText());
        JsonNode s2 = client.refresh(rt1).body();
        String current = s2.get("access_token").asText();
        assertThat(client.get("/v1/whoami", current).status()).isEqualTo(200);

        BrokerClient.Response reuse = client.refresh(rt0);
        assertThat(reuse.status()).isEqualTo(400);
        assertThat(reuse.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(reuse.body().get("code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(reuse.body().get("reauth_command").asText()).isEqualTo("mayfly auth login");
        assertThat(reuse.body().get("reason").asText()).isEqualTo("refresh token reuse");

        // The legitimate holder's newest refresh token and access token die with the session.
        assertThat(client.refresh(s2.get("refresh_token").asText()).body().get("code").asText())
                .isEqualTo("CREDENTIALS_REVOKED");
        BrokerClient.Response who = client.get("/v1/whoami", current);
        assertThat(who.status()).isEqualTo(401);
        assertThat(who.body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(who.body().at("/error/reauth_command").asText()).isEqualTo("mayfly auth login");
    }

    /**
     * Simultaneous presentations of one token (a client retrying on a timeout) rotate it once: every
     * presentation that succeeds gets the one successor (the reuse grace), so the family never forks, and
     * that successor is the live token of a session that was not revoked.
     */
    @Test
    void simultaneousRefreshesWithOneTokenRotateItOnceAndShareOneSuccessor() throws Exception {
        String rt = login().get("refresh_token").asText();
        int racers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<BrokerClient.Response>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            results.add(pool.submit(() -> {
                go.await();
                return client.refresh(rt);
            }));
        }
        go.countDown();
        java.util.Set<String> successors = new java.util.HashSet<>();
        for (Future<BrokerClient.Response> f : results) {
            BrokerClient.Response r = f.get();
            assertThat(r.status()).as("one rotation and three retries within the grace: %s", r.raw()).isEqualTo(200);
            successors.add(r.body().get("refresh_token").asText());
        }
        pool.shutdown();
        assertThat(successors).as("one successor, no fork").hasSize(1);
        String next = successors.iterator().next();
        assertThat(client.refresh(next).status()).as("the shared successor is the live token").isEqualTo(200);
        assertThat(client.refresh(rt).body().get("code").asText()).as("now two generations old: reuse")
                .isEqualTo("CREDENTIALS_REVOKED");
    }

    @Test
    void accessTokenNeverOutlivesTheSessionAndAnExpiredSessionMeansLogIn() {
        JsonNode s = login();
        Instant sessionEnd = broker.clock().instant().plusSeconds(s.get("session_expires_in").asLong());
        broker.clock().advance(Duration.ofMinutes(25));
        JsonNode late = client.refresh(s.get("refresh_token").asText()).body();
        assertThat(late.get("expires_in").asLong()).isEqualTo(300);
        assertThat(late.get("ttl_bound").asText()).isEqualTo("session");

        broker.clock().advance(Duration.ofMinutes(6));
        BrokerClient.Response expired = client.refresh(late.get("refresh_token").asText());
        assertThat(expired.status()).isEqualTo(400);
        assertThat(expired.body().get("code").asText()).isEqualTo("CREDENTIALS_EXPIRED");
        assertThat(expired.body().get("expired").asBoolean()).isTrue();
        assertThat(expired.body().get("expired_at").asText()).isEqualTo(sessionEnd.toString());
        assertThat(expired.body().get("reauth_command").asText()).isEqualTo("mayfly auth login");
        assertThat(expired.body().get("retryable").asBoolean()).isTrue();
    }

    @Test
    void malformedAndUnknownRefreshTokensAreInvalidGrants() {
        for (String bad : List.of("mfy_rt_garbage", "mfy_rt_" + "A".repeat(38))) {
            BrokerClient.Response r = client.refresh(bad);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body().get("error").asText()).isEqualTo("invalid_grant");
            assertThat(r.body().get("code").asText()).isEqualTo("CREDENTIALS_INVALID");
            assertThat(r.raw()).doesNotContain(bad);
        }
    }
}

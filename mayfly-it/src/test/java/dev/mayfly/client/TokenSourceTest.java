package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.client.testing.FaultProxy;
import dev.mayfly.client.testing.ManualScheduler;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.server.testing.BrokerClient;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The token source against a real broker (port 0, real SQLite) behind a pass-through {@link FaultProxy} that
 * counts requests. One {@link ManualClock} drives broker and client; a {@link ManualScheduler} runs refreshes
 * when the test moves time. No sleeping.
 */
class TokenSourceTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static final List<String> SCOPES = List.of("orders:read", "orders:write");
    static final String ORDERS = "https://orders.example";
    static final TokenRequest READ_ORDERS = TokenRequest.builder().audience(ORDERS).scopes("orders:read").task("task-1").build();

    ManualClock clock;
    ManualScheduler scheduler;
    FaultProxy proxy;
    Agent agent;

    @BeforeEach
    void setUp() {
        clock = broker.clock();
        scheduler = new ManualScheduler(clock);
        proxy = new FaultProxy(URI.create(broker.issuer()).getPort());
        agent = Agents.create(broker, SCOPES, List.of(ORDERS));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    TokenSource.Builder builder() {
        return TokenSource.builder()
                .broker(proxy.uri())
                .clock(clock)
                .scheduler(scheduler)
                .random(new Random(42))
                .acquireTimeout(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(5));
    }

    TokenSource source() {
        return builder().clientCredentials(agent.clientId(), agent.clientSecret()).build();
    }

    void moveTo(Instant t) {
        clock.set(t);
        scheduler.runDue();
    }

    @Test
    void logsInOnceThenRefreshesAtTheJitteredPointAfterRefreshAfter() {
        try (TokenSource s = source()) {
            AccessToken t1 = s.sessionToken();
            assertThat(proxy.requests()).isEqualTo(1);
            assertThat(s.sessionToken()).isSameAs(t1);
            assertThat(t1.lifetime()).isEqualTo(Duration.ofMinutes(10)); // standard tier
            Duration until = Duration.between(t1.issuedAt(), t1.refreshAt());
            assertThat(until).isBetween(Duration.ofSeconds(360), Duration.ofSeconds(540)); // 60 % .. 90 %
            assertThat(t1.scopes()).containsExactlyElementsOf(SCOPES);
            assertThat(t1.sessionId()).hasValueSatisfying(id -> assertThat(id).startsWith("ses_"));
            assertThat(t1.toString()).doesNotContain(t1.value().reveal());

            moveTo(t1.refreshAt().minusSeconds(1));
            assertThat(s.sessionToken()).isSameAs(t1);
            assertThat(proxy.requests()).isEqualTo(1);

            moveTo(t1.refreshAt());
            assertThat(proxy.requests()).as("one refresh, ahead of expiry").isEqualTo(2);
            AccessToken t2 = s.sessionToken();
            assertThat(t2).isNotSameAs(t1);
            assertThat(t2.value()).isNotEqualTo(t1.value());
            assertThat(t2.sessionId()).isEqualTo(t1.sessionId()); // rotated, same session
            assertThat(Agents.whoami(broker, t2.value()).status()).isEqualTo(200);
            assertThat(Agents.whoami(broker, t1.value()).status()).as("the old token lives until its exp").isEqualTo(200);
        }
    }

    @Test
    void taskTokensAreKeyedByAudienceScopesAndTask() {
        try (TokenSource s = source()) {
            AccessToken t = s.token(READ_ORDERS);
            assertThat(s.token(TokenRequest.builder().task("task-1").scopes("orders:read").audience(ORDERS).build())).isSameAs(t);
            AccessToken other = s.token(TokenRequest.builder().audience(ORDERS).scopes("orders:read").task("task-2").build());
            AccessToken broader = s.token(TokenRequest.builder().audience(ORDERS).scopes("orders:read", "orders:write").task("task-1").build());
            assertThat(other.value()).isNotEqualTo(t.value());
            assertThat(broader.value()).isNotEqualTo(t.value());
            assertThat(t.taskId()).contains("task-1");
            assertThat(t.audiences()).containsExactly(ORDERS);
            assertThat(t.scopes()).containsExactly("orders:read");
            assertThat(t.lifetime()).isEqualTo(Duration.ofMinutes(15)); // low tier
            BrokerClient.Response who = Agents.whoami(broker, t.value());
            assertThat(who.status()).isEqualTo(200);
            assertThat(who.body().at("/data/task_id").asText()).isEqualTo("task-1");
            assertThat(who.body().at("/data/token_kind").asText()).isEqualTo("task");
            // login + three exchanges; the session token was reused as the subject each time
            assertThat(proxy.requests()).isEqualTo(4);
        }
    }

    @Test
    void concurrentCallersShareOneRenewal() throws Exception {
        try (TokenSource s = source()) {
            List<AccessToken> got = concurrently(16, () -> s.token(READ_ORDERS));
            assertThat(new HashSet<>(got)).hasSize(1);
            assertThat(proxy.requests()).as("one login, one exchange").isEqualTo(2);

            AccessToken rejected = got.get(0);
            List<AccessToken> replaced = concurrently(16, () -> s.refresh(rejected));
            assertThat(new HashSet<>(replaced)).hasSize(1);
            assertThat(replaced.get(0).value()).isNotEqualTo(rejected.value());
            assertThat(proxy.requests()).as("one more exchange for all sixteen").isEqualTo(3);
            // a caller still holding the rejected token gets the replacement without another renewal
            assertThat(s.refresh(rejected)).isSameAs(replaced.get(0));
            assertThat(proxy.requests()).isEqualTo(3);
        }
    }

    @Test
    void logsInAgainWhenTheBrokerSaysTheSessionExpired() {
        BrokerClient.Response login = broker.client().login(agent.clientId(), agent.clientSecret().reveal());
        Secret access = Secret.of(login.body().get("access_token").asText());
        Secret refresh = Secret.of(login.body().get("refresh_token").asText());
        try (TokenSource s = builder().clientCredentials(agent.clientId(), agent.clientSecret()).session(access, refresh).build()) {
            AccessToken adopted = s.sessionToken();
            assertThat(adopted.value()).isEqualTo(access);
            assertThat(proxy.requests()).isZero();

            clock.advance(Duration.ofMinutes(31)); // suspended past the session's end; nothing ran meanwhile
            AccessToken t = s.sessionToken();
            assertThat(proxy.requests()).as("refresh answered CREDENTIALS_EXPIRED, then a login").isEqualTo(2);
            assertThat(t.sessionId()).isPresent().isNotEqualTo(adopted.sessionId());
            assertThat(Agents.whoami(broker, t.value()).status()).isEqualTo(200);
        }
    }

    @Test
    void aRevokedSessionIsPermanentAndNeverRetried() {
        try (TokenSource s = source()) {
            AccessToken t = s.sessionToken();
            BrokerClient.Response revoke = broker.client().postJson("/v1/revocations", t.value().reveal(),
                    Map.of("session_id", t.sessionId().orElseThrow(), "reason", "test"));
            assertThat(revoke.status()).isEqualTo(201);

            moveTo(t.refreshAt());
            int after = proxy.requests();
            assertThatThrownBy(s::sessionToken).isInstanceOfSatisfying(AuthFailureException.class, e -> {
                assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.REVOKED);
                assertThat(e.failure().retryable()).isFalse();
                assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
                assertThat(e.code().exitCode()).isEqualTo(11);
            });
            assertThatThrownBy(() -> s.token(READ_ORDERS)).isInstanceOf(AuthFailureException.class);
            for (int i = 0; i < 60; i++) {
                clock.advance(Duration.ofMinutes(1));
                scheduler.runDue();
                assertThatThrownBy(s::sessionToken).isInstanceOf(AuthFailureException.class);
            }
            assertThat(proxy.requests()).as("no retry loop").isEqualTo(after);
            assertThat(scheduler.pending()).isZero();
        }
    }

    @Test
    void aDisabledAgentIsPermanentAtLoginAndAtRefresh() {
        try (TokenSource running = source()) {
            AccessToken t = running.sessionToken();
            Agents.disable(broker, agent);
            try (TokenSource fresh = source()) {
                assertThatThrownBy(fresh::sessionToken).isInstanceOfSatisfying(AuthFailureException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.REVOKED);
                    assertThat(e.failure().recovery()).isEqualTo(AuthFailure.Recovery.STOP);
                    assertThat(e.error().reauthCommand()).isNull();
                });
                int after = proxy.requests();
                assertThatThrownBy(fresh::sessionToken).isInstanceOf(AuthFailureException.class);
                assertThat(proxy.requests()).isEqualTo(after);
            }
            moveTo(t.refreshAt());
            assertThatThrownBy(running::sessionToken).isInstanceOfSatisfying(AuthFailureException.class,
                    e -> assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.REVOKED));
        }
    }

    @Test
    void closeRevokesTheSessionWhenAsked() {
        AccessToken session;
        AccessToken task;
        TokenSource s = builder().clientCredentials(agent.clientId(), agent.clientSecret()).revokeOnClose(true).build();
        session = s.sessionToken();
        task = s.token(READ_ORDERS);
        s.close();
        s.close(); // idempotent
        assertThat(Agents.whoami(broker, session.value()).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThat(Agents.whoami(broker, task.value()).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        assertThatThrownBy(s::sessionToken).isInstanceOfSatisfying(MayflyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.PRECONDITION));
    }

    @Test
    void closeWithoutRevokingLeavesTokensValid() {
        AccessToken session;
        try (TokenSource s = source()) {
            session = s.sessionToken();
        }
        assertThat(Agents.whoami(broker, session.value()).status()).isEqualTo(200);
    }

    @Test
    void anExistingSessionWithoutCredentialsIsKeptUntilItEnds() {
        BrokerClient.Response login = broker.client().login(agent.clientId(), agent.clientSecret().reveal());
        Secret access = Secret.of(login.body().get("access_token").asText());
        Secret refresh = Secret.of(login.body().get("refresh_token").asText());
        try (TokenSource s = builder().session(access, refresh).build()) {
            AccessToken t0 = s.sessionToken();
            assertThat(t0.value()).isEqualTo(access);
            moveTo(t0.refreshAt());
            AccessToken t1 = s.sessionToken();
            assertThat(t1.value()).isNotEqualTo(access);
            assertThat(t1.sessionId()).isEqualTo(t0.sessionId());
            int after = proxy.requests();

            clock.advance(Duration.ofMinutes(31));
            assertThatThrownBy(s::sessionToken).isInstanceOfSatisfying(MayflyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.CREDENTIALS_EXPIRED);
                assertThat(e.error().reauthCommand()).isEqualTo("mayfly auth login");
                assertThat(e.error().expiredAt()).isNotNull();
            });
            assertThat(proxy.requests()).as("the client knew the session had ended").isEqualTo(after);
        }
    }

    @Test
    void scopesAndAudiencesBeyondTheAgentsArePermanentDenials() {
        try (TokenSource s = source()) {
            assertThatThrownBy(() -> s.token(TokenRequest.builder().scopes("orders:delete").build()))
                    .isInstanceOfSatisfying(PermissionDeniedException.class, e -> {
                        assertThat(e.missingScopes()).containsExactly("orders:delete");
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    });
            assertThatThrownBy(() -> s.token(TokenRequest.builder().audience("https://elsewhere.example").build()))
                    .isInstanceOf(PermissionDeniedException.class);
            int after = proxy.requests();
            assertThatThrownBy(() -> s.token(TokenRequest.builder().scopes("orders:delete").build()))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThat(proxy.requests()).isEqualTo(after);
            assertThat(s.token(READ_ORDERS)).isNotNull(); // the session is unaffected
        }
    }

    @Test
    void aTaskTokenNobodyUsesIsNotRenewedForever() {
        try (TokenSource s = source()) {
            AccessToken t1 = s.token(READ_ORDERS);
            moveTo(t1.refreshAt());
            AccessToken t2 = s.token(READ_ORDERS); // renewed ahead of expiry because it was in use
            assertThat(t2.value()).isNotEqualTo(t1.value());
            moveTo(t2.refreshAt());
            moveTo(t2.refreshAt().plus(t2.lifetime()));
            // t2 was handed out once, so it got one proactive renewal; the token after it was never asked for
            AccessToken t4 = s.token(READ_ORDERS);
            assertThat(t4.issuedAt()).isEqualTo(clock.instant());
        }
    }

    @Test
    void servesWithoutAFailedCallForHoursAcrossSessions() {
        Set<String> sessions = new HashSet<>();
        int failures = 0;
        try (TokenSource s = builder().clientCredentials(agent.clientId(), agent.clientSecret())
                .clientAuthentication(TokenSource.ClientAuthentication.POST).build()) {
            for (int step = 0; step < 480; step++) { // two hours in 15-second steps
                clock.advance(Duration.ofSeconds(15));
                scheduler.runDue();
                try {
                    AccessToken st = s.sessionToken();
                    AccessToken tt = s.token(READ_ORDERS);
                    assertThat(st.isExpired(clock.instant())).isFalse();
                    assertThat(tt.isExpired(clock.instant())).isFalse();
                    sessions.add(st.sessionId().orElseThrow());
                    if (step % 20 == 0) {
                        assertThat(Agents.whoami(broker, tt.value()).status()).isEqualTo(200);
                    }
                } catch (MayflyException e) {
                    failures++;
                }
            }
        }
        assertThat(failures).isZero();
        assertThat(sessions).as("a new session before each 30-minute one ended").hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void runsOnTheSystemSchedulerAndWaitsOutABriefOutageOnFirstUse() throws Exception {
        proxy.serve503(2);
        try (TokenSource s = TokenSource.builder().broker(proxy.uri())
                .clientCredentials(agent.clientId(), agent.clientSecret())
                .clock(clock)
                .backoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(50)))
                .acquireTimeout(Duration.ofSeconds(5))
                .build()) {
            List<AccessToken> got = concurrently(8, () -> s.token(READ_ORDERS));
            assertThat(new HashSet<>(got)).hasSize(1);
            assertThat(proxy.requests()).as("two 503s, a login, one exchange").isEqualTo(4);
            assertThat(Agents.whoami(broker, got.get(0).value()).status()).isEqualTo(200);
        }
    }

    static <T> List<T> concurrently(int n, Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}

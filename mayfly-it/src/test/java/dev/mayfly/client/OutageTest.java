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
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fault injection: a real broker behind a loopback proxy that refuses connections, holds requests, tears
 * responses after the broker acted on them, or answers bursts of 503. Time is a {@link ManualClock}, retries
 * run on a {@link ManualScheduler}: the backoff schedule is read off the fake clock, and nothing sleeps.
 */
class OutageTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    static final String ORDERS = "https://orders.example";
    static final TokenRequest READ_ORDERS = TokenRequest.builder().audience(ORDERS).scopes("orders:read").task("outage").build();

    ManualClock clock;
    ManualScheduler scheduler;
    FaultProxy proxy;
    Agent agent;
    int failedCalls;

    @BeforeEach
    void setUp() {
        clock = broker.clock();
        scheduler = new ManualScheduler(clock);
        proxy = new FaultProxy(port());
        agent = Agents.create(broker, List.of("orders:read", "orders:write"), List.of(ORDERS));
        failedCalls = 0;
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    static int port() {
        return URI.create(broker.issuer()).getPort();
    }

    TokenSource.Builder builder(long seed) {
        return TokenSource.builder()
                .broker(proxy.uri())
                .clientCredentials(agent.clientId(), agent.clientSecret())
                .clock(clock)
                .scheduler(scheduler)
                .random(new Random(seed))
                .acquireTimeout(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(5));
    }

    void moveTo(Instant t) {
        clock.set(t);
        scheduler.runDue();
    }

    /** Steps the clock to {@code until}, running due work and making the calls an agent makes, counting failures. */
    void serveUntil(Instant until, Duration step, TokenSource s) {
        while (clock.instant().isBefore(until)) {
            clock.advance(step);
            scheduler.runDue();
            call(s);
        }
    }

    void callSession(TokenSource s) {
        try {
            assertThat(s.sessionToken().isExpired(clock.instant())).isFalse();
        } catch (MayflyException e) {
            failedCalls++;
        }
    }

    void call(TokenSource s) {
        try {
            AccessToken st = s.sessionToken();
            AccessToken tt = s.token(READ_ORDERS);
            assertThat(st.isExpired(clock.instant())).isFalse();
            assertThat(tt.isExpired(clock.instant())).isFalse();
        } catch (MayflyException e) {
            failedCalls++;
        }
    }

    @Test
    void noFailedCallDuringAnOutageShorterThanTheTokensLife() {
        try (TokenSource s = builder(1).build()) {
            AccessToken st = s.sessionToken();
            AccessToken tt = s.token(READ_ORDERS);
            Instant outageStart = st.refreshAt().minusSeconds(30);
            Instant outageEnd = (st.expiresAt().isBefore(tt.expiresAt()) ? st.expiresAt() : tt.expiresAt()).minusSeconds(20);
            moveTo(outageStart);

            proxy.refuse();
            int scheduledBefore = scheduler.delays().size();
            serveUntil(outageEnd, Duration.ofSeconds(5), s);
            assertThat(failedCalls).as("calls failed during the outage").isZero();
            assertThat(s.sessionToken()).as("the current token kept being handed out").isSameAs(st);
            assertThat(scheduler.delays().size() - scheduledBefore).as("retries during the outage").isGreaterThan(3);

            proxy.pass();
            serveUntil(st.expiresAt().plusSeconds(60), Duration.ofSeconds(1), s);
            assertThat(failedCalls).as("calls failed after the outage").isZero();
            AccessToken recovered = s.sessionToken();
            assertThat(recovered.value()).isNotEqualTo(st.value());
            assertThat(recovered.sessionId()).as("refused connections never reached the broker: same session")
                    .isEqualTo(st.sessionId());
            assertThat(Agents.whoami(broker, recovered.value()).status()).isEqualTo(200);
            assertThat(Agents.whoami(broker, s.token(READ_ORDERS).value()).status()).isEqualTo(200);
        }
    }

    @Test
    void backoffScheduleIsExponentialWithFullJitterReadOffTheFakeClock() {
        Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30));
        List<Duration> schedule = outageSchedule(1234L, backoff, 9);
        // The source's only random draws here are the backoff's (no refresh jitter, broker hint present),
        // so the schedule is exactly what the same seed gives the formula.
        Random same = new Random(1234L);
        List<Duration> expected = new ArrayList<>();
        for (int n = 1; n <= schedule.size(); n++) {
            expected.add(backoff.delay(n, null, same));
        }
        assertThat(schedule).isEqualTo(expected);
        for (int n = 1; n <= schedule.size(); n++) {
            assertThat(schedule.get(n - 1)).isBetween(Duration.ofMillis(1), backoff.ceiling(n));
        }
        assertThat(backoff.ceiling(schedule.size())).as("the ceiling reached its cap").isEqualTo(Duration.ofSeconds(30));
        assertThat(outageSchedule(1234L, backoff, 9)).as("same seed, same schedule").isEqualTo(schedule);
        assertThat(outageSchedule(99L, backoff, 9)).as("another seed spreads differently").isNotEqualTo(schedule);
        System.out.println("backoff schedule (seed 1234, base 1 s, cap 30 s), delay before retry n: " + schedule);
    }

    /** Refuses connections from the refresh point on and returns the delays before retries 1..n. */
    List<Duration> outageSchedule(long seed, Backoff backoff, int retries) {
        try (TokenSource s = builder(seed).backoff(backoff)
                .refreshPolicy(RefreshPolicy.builder().jitter(0).latest(0.5).build()).build()) {
            AccessToken st = s.sessionToken();
            proxy.refuse();
            int before = scheduler.delays().size();
            moveTo(st.refreshAt()); // attempt 1, refused
            for (int i = 0; i < retries - 1; i++) {
                moveTo(scheduler.nextDue()); // the retry runs exactly when its delay has passed on the fake clock
            }
            List<Duration> all = scheduler.delays();
            proxy.pass();
            return all.subList(before, before + retries);
        }
    }

    @Test
    void retriesHappenOnlyWhenTheirTimeComesAndHonourRetryAfter() {
        try (TokenSource s = builder(5).build()) {
            AccessToken st = s.sessionToken();
            proxy.serve503(3);
            int before = proxy.requests();
            moveTo(st.refreshAt());
            assertThat(proxy.requests()).isEqualTo(before + 1);
            for (int i = 2; i <= 4; i++) {
                Instant due = scheduler.nextDue();
                Duration delay = Duration.between(clock.instant(), due);
                assertThat(delay).as("Retry-After: 1 is honoured").isGreaterThanOrEqualTo(Duration.ofSeconds(1));
                moveTo(due.minusMillis(1));
                assertThat(proxy.requests()).as("not before its time").isEqualTo(before + i - 1);
                moveTo(due);
                assertThat(proxy.requests()).isEqualTo(before + i);
                callSession(s);
            }
            AccessToken t = s.sessionToken();
            assertThat(t.value()).as("the fourth attempt got through").isNotEqualTo(st.value());
            assertThat(t.sessionId()).as("a 503 never reached the broker: refresh, not a new login").isEqualTo(st.sessionId());
            assertThat(failedCalls).isZero();
        }
    }

    @Test
    void anOutageLongerThanTheTokensLifeFailsFastThenRecovers() {
        try (TokenSource s = builder(2).backoff(Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(5))).build()) {
            AccessToken st = s.sessionToken();
            proxy.refuse();
            moveTo(st.refreshAt());
            while (clock.instant().isBefore(st.expiresAt())) {
                clock.advance(Duration.ofSeconds(2));
                scheduler.runDue();
            }
            assertThatThrownBy(s::sessionToken).isInstanceOfSatisfying(MayflyException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                assertThat(e.code().retryable()).isTrue();
                assertThat(e.getMessage()).doesNotContain(st.value().reveal());
            });
            proxy.pass();
            moveTo(scheduler.nextDue());
            AccessToken t = s.sessionToken();
            assertThat(t.isExpired(clock.instant())).isFalse();
            assertThat(Agents.whoami(broker, t.value()).status()).isEqualTo(200);
        }
    }

    @Test
    void failsOverAcrossBrokerUrls() {
        try (FaultProxy second = new FaultProxy(port());
             TokenSource s = TokenSource.builder().brokers(List.of(proxy.uri(), second.uri()))
                     .clientCredentials(agent.clientId(), agent.clientSecret()).clock(clock).scheduler(scheduler)
                     .random(new Random(3)).acquireTimeout(Duration.ZERO).build()) {
            proxy.refuse();
            AccessToken t1 = s.sessionToken();
            assertThat(second.requests()).isEqualTo(1);

            second.refuse();
            proxy.pass();
            moveTo(t1.refreshAt());
            AccessToken t2 = s.sessionToken();
            assertThat(t2.value()).isNotEqualTo(t1.value());
            assertThat(proxy.requests()).isEqualTo(1);

            proxy.refuse();
            moveTo(t2.refreshAt());
            assertThat(s.sessionToken()).isSameAs(t2); // both down: the current token serves
            second.pass();
            moveTo(scheduler.nextDue());
            assertThat(s.sessionToken().value()).isNotEqualTo(t2.value());
            assertThat(second.requests()).isEqualTo(2);
        }
    }

    @Test
    void aTornRefreshResponseLeadsToANewSessionNotToReuse() {
        try (TokenSource s = builder(4).build()) {
            AccessToken st = s.sessionToken();
            proxy.dropResponses(1);
            int forwarded = proxy.forwarded();
            moveTo(st.refreshAt());
            assertThat(proxy.forwarded()).as("the broker got the refresh and rotated").isEqualTo(forwarded + 1);
            callSession(s);
            assertThat(s.sessionToken()).isSameAs(st);

            moveTo(scheduler.nextDue());
            AccessToken t = s.sessionToken();
            assertThat(t.sessionId()).as("logged in again rather than present a probably rotated refresh token")
                    .isNotEqualTo(st.sessionId());
            assertThat(Agents.whoami(broker, st.value()).status()).as("no reuse, so the old session was not revoked")
                    .isEqualTo(200);
            assertThat(failedCalls).isZero();
        }
    }

    /** An adopted session whose refresh answer is torn: the client can only present the same refresh token again. */
    TokenSource adoptedSession(BrokerClient.Response login, long seed) {
        return TokenSource.builder().broker(proxy.uri())
                .session(Secret.of(login.body().get("access_token").asText()),
                        Secret.of(login.body().get("refresh_token").asText()))
                .clock(clock).scheduler(scheduler).random(new Random(seed)).acquireTimeout(Duration.ZERO).build();
    }

    @Test
    void withoutClientCredentialsATornRefreshRetriedWithinTheReuseGraceKeepsTheSession() {
        // The broker's reuse grace (10 s by default): the retry gets the successor the lost answer carried.
        BrokerClient.Response login = broker.client().login(agent.clientId(), agent.clientSecret().reveal());
        try (TokenSource s = adoptedSession(login, 6)) {
            AccessToken st = s.sessionToken();
            proxy.dropResponses(1);
            moveTo(st.refreshAt());
            assertThat(s.sessionToken()).isSameAs(st);
            Instant retry = scheduler.nextDue();
            assertThat(retry).as("the client retries within the grace").isBefore(st.refreshAt().plusSeconds(10));
            moveTo(retry);
            AccessToken t = s.sessionToken();
            assertThat(t.value()).isNotEqualTo(st.value());
            assertThat(t.sessionId()).as("the same session, not revoked").isEqualTo(st.sessionId());
            assertThat(Agents.whoami(broker, st.value()).status()).isEqualTo(200);
            moveTo(t.refreshAt());
            assertThat(s.sessionToken().value()).as("and the rotated chain goes on").isNotEqualTo(t.value());
        }
    }

    @Test
    void withoutClientCredentialsATornRefreshRetriedAfterTheGraceEndsInReuseAndIsPermanent() {
        BrokerClient.Response login = broker.client().login(agent.clientId(), agent.clientSecret().reveal());
        Secret access = Secret.of(login.body().get("access_token").asText());
        try (TokenSource s = adoptedSession(login, 6)) {
            AccessToken st = s.sessionToken();
            proxy.dropResponses(1);
            moveTo(st.refreshAt());
            assertThat(s.sessionToken()).isSameAs(st);
            moveTo(scheduler.nextDue().plusSeconds(11)); // the retry comes after the broker's 10 s grace
            assertThatThrownBy(s::sessionToken).isInstanceOfSatisfying(AuthFailureException.class,
                    e -> assertThat(e.failure().kind()).isEqualTo(AuthFailure.Kind.REVOKED));
            assertThat(Agents.whoami(broker, access).body().at("/error/code").asText()).isEqualTo("CREDENTIALS_REVOKED");
        }
    }

    @Test
    void aBrokerTooSlowToAnswerIsTreatedAsMaybeProcessed() {
        try (TokenSource s = builder(8).requestTimeout(Duration.ofSeconds(1)).build()) {
            AccessToken st = patientlyFirst(s);
            proxy.delay(Duration.ofSeconds(3));
            moveTo(st.refreshAt()); // times out after 1 s of real time; the broker gets the refresh later
            callSession(s);
            assertThat(s.sessionToken()).isSameAs(st);
            proxy.pass();
            moveTo(scheduler.nextDue());
            AccessToken t = s.sessionToken();
            assertThat(t.value()).isNotEqualTo(st.value());
            assertThat(t.sessionId()).isNotEqualTo(st.sessionId());
            assertThat(failedCalls).isZero();
        }
    }

    /** The first login, retried on the fake clock should a loaded machine make it miss the short timeout. */
    AccessToken patientlyFirst(TokenSource s) {
        for (int i = 0; ; i++) {
            try {
                return s.sessionToken();
            } catch (MayflyException e) {
                assertThat(i).as("login keeps timing out: " + e.getMessage()).isLessThan(5);
                moveTo(scheduler.nextDue());
            }
        }
    }
}

package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.client.testing.Agents;
import dev.mayfly.client.testing.Agents.Agent;
import dev.mayfly.client.testing.FaultProxy;
import dev.mayfly.client.testing.ManualScheduler;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.server.testing.BrokerExtension;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Token sources sharing a {@link SessionStore}, as parallel {@code mayfly} invocations share the credential
 * cache: a source whose token is due takes the one another source renewed instead of presenting the rotated
 * refresh token again (which the broker would answer by revoking the session); and fail-fast sources make one
 * attempt and throw its failure as classified.
 */
class SessionStoreTest {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    /** An in-memory store: one lock, one slot. */
    static final class MemoryStore implements SessionStore {
        final ReentrantLock lock = new ReentrantLock();
        SessionStore.Session session;
        int saves;

        @Override
        public Locked lock() {
            lock.lock();
            return new Locked() {
                @Override
                public Optional<Session> load() {
                    assertThat(lock.isHeldByCurrentThread()).isTrue();
                    return Optional.ofNullable(session);
                }

                @Override
                public void save(Session s) {
                    assertThat(lock.isHeldByCurrentThread()).isTrue();
                    session = s;
                    saves++;
                }

                @Override
                public void close() {
                    lock.unlock();
                }
            };
        }
    }

    ManualClock clock;
    FaultProxy proxy;
    Agent agent;
    MemoryStore store;

    @BeforeEach
    void setUp() {
        clock = broker.clock();
        proxy = new FaultProxy(URI.create(broker.issuer()).getPort());
        agent = Agents.create(broker, List.of("orders:read"), List.of());
        store = new MemoryStore();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    TokenSource.Builder builder() {
        return TokenSource.builder().broker(proxy.uri()).clock(clock).scheduler(new ManualScheduler(clock))
                .random(new Random(7)).requestTimeout(Duration.ofSeconds(5)).sessionStore(store).failFast(true);
    }

    @Test
    void aSourceTakesTheSessionAnotherRenewedInsteadOfRefreshingAgain() {
        try (TokenSource login = builder().clientCredentials(agent.clientId(), agent.clientSecret()).build()) {
            login.sessionToken();
        }
        assertThat(store.saves).isEqualTo(1);
        try (TokenSource a = builder().build(); TokenSource b = builder().build()) {
            AccessToken t1 = a.sessionToken();
            assertThat(b.sessionToken().value()).isEqualTo(t1.value());
            int before = proxy.requests();

            clock.set(t1.refreshAt());
            AccessToken t2 = a.sessionToken(); // due: renews on the call (fail-fast: nothing in the background)
            assertThat(t2.value()).isNotEqualTo(t1.value());
            assertThat(b.sessionToken().value()).as("b takes a's renewal").isEqualTo(t2.value());
            assertThat(proxy.requests() - before).as("one refresh between them").isEqualTo(1);
            assertThat(store.session.accessToken()).isEqualTo(t2.value());

            AccessToken t3 = b.refresh(b.sessionToken()); // a server rejected t2: b refreshes with the stored refresh token
            assertThat(t3.value()).isNotEqualTo(t2.value());
            assertThat(a.refresh(t2).value()).as("a, holding t2 too, takes b's renewal").isEqualTo(t3.value());
            assertThat(proxy.requests() - before).isEqualTo(2);

            clock.set(t3.refreshAt());
            assertThat(a.sessionToken().value()).as("the session survived: no refresh token was used twice")
                    .isNotEqualTo(t3.value());
        }
    }

    @Test
    void aFailFastSourceMakesOneAttemptAndReportsTheFailureAsClassified() {
        try (TokenSource login = builder().clientCredentials(agent.clientId(), agent.clientSecret()).build()) {
            login.sessionToken();
        }
        try (TokenSource a = builder().build()) {
            AccessToken t1 = a.sessionToken();
            proxy.refuse();
            int before = proxy.requests();
            clock.set(t1.expiresAt());
            assertThatThrownBy(a::sessionToken).isInstanceOfSatisfying(MayflyException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            assertThat(proxy.requests() - before).as("no retries").isLessThanOrEqualTo(1);
            proxy.pass();
            assertThat(a.sessionToken().value()).as("not sticky: the next call tries again").isNotEqualTo(t1.value());
        }
    }

    @Test
    void aRejectedRefreshIsThrownAsTheBrokerSentIt() {
        try (TokenSource login = builder().clientCredentials(agent.clientId(), agent.clientSecret()).build()) {
            login.sessionToken();
        }
        SessionStore.Session s = store.session;
        store.session = SessionStore.Session.of(s.accessToken(), s.expiresAt(), s.refreshAt(),
                dev.mayfly.core.secret.Secret.of("mfy_rt_unknown"), s.sessionExpiresAt().orElse(null));
        try (TokenSource a = builder().build()) {
            clock.set(s.expiresAt());
            assertThatThrownBy(a::sessionToken).isInstanceOfSatisfying(MayflyException.class,
                    e -> assertThat(e.code()).isIn(ErrorCode.CREDENTIALS_INVALID, ErrorCode.CREDENTIALS_REVOKED));
        }
    }

    @Test
    void aFailFastTaskTokenIsExchangedOnTheCallAndARefusalIsThrownAsTheBrokerSentIt() {
        try (TokenSource s = builder().clientCredentials(agent.clientId(), agent.clientSecret()).build()) {
            AccessToken task = s.token(TokenRequest.builder().scopes("orders:read").task("t-1").build());
            assertThat(task.taskId()).contains("t-1");
            assertThatThrownBy(() -> s.token(TokenRequest.builder().scopes("orders:write").task("t-2").build()))
                    .isInstanceOfSatisfying(MayflyException.class, e -> {
                        assertThat(e).isNotInstanceOf(AuthFailureException.class);
                        assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
                    });
        }
    }

    @Test
    void aStoredBareAccessTokenIsUsedAsItIsAndTheBrokersRejectionOfItStandsAsSent() {
        try (TokenSource login = builder().clientCredentials(agent.clientId(), agent.clientSecret()).build()) {
            login.sessionToken();
        }
        SessionStore.Session s = store.session;
        // A token someone else keeps (the CLI's MAYFLY_TOKEN): no refresh token, no known expiry.
        Instant unknown = clock.instant().plus(Duration.ofDays(3650));
        store.session = SessionStore.Session.of(s.accessToken(), unknown, unknown, null, null);
        TokenRequest orders = TokenRequest.builder().scopes("orders:read").build();
        try (TokenSource a = builder().build()) {
            AccessToken task = a.token(orders);
            assertThat(task.scopes()).containsExactly("orders:read");

            clock.set(s.expiresAt().plus(Duration.ofMinutes(2))); // the session token (and the task token) expired, past any leeway
            int before = proxy.requests();
            assertThatThrownBy(() -> a.token(orders)).isInstanceOfSatisfying(MayflyException.class,
                    e -> assertThat(e.code()).as("the broker's answer, not a missing session")
                            .isEqualTo(ErrorCode.CREDENTIALS_EXPIRED));
            assertThat(proxy.requests() - before).as("one exchange; nothing to refresh with").isEqualTo(1);
            assertThat(store.saves).as("the stored token is left as it was").isEqualTo(1);
        }
    }
}

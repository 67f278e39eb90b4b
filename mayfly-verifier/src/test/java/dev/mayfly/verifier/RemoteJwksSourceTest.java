package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.verifier.fixtures.JwksEndpoint;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestServer;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RemoteJwksSource} against a real HTTP endpoint; time moves only with the {@link ManualClock}. */
class RemoteJwksSourceTest {
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");

    final ManualClock clock = new ManualClock(T0);
    final JwksEndpoint endpoint = new JwksEndpoint(new JWKSet(TestKeys.ED25519));
    TestServer server;
    URI jwksUri;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(endpoint);
        jwksUri = server.uri("/jwks.json");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    RemoteJwksSource source() {
        return (RemoteJwksSource) JwksSource.remote(jwksUri, clock, Duration.ofMinutes(5), Duration.ofSeconds(10));
    }

    @Test
    void fetchesOnFirstUseAndServesFromCacheWithinTheTtl() {
        RemoteJwksSource source = source();
        assertThat(endpoint.fetches()).isZero();

        assertThat(source.key("ed-1")).isPresent();
        assertThat(source.key("ed-1")).isPresent();
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(source.key("ed-1")).isPresent();

        assertThat(endpoint.fetches()).isEqualTo(1);
    }

    @Test
    void keepsOnlyPublicSignatureKeys() {
        JWK hmac = new OctetSequenceKey.Builder(new byte[32]).keyID("hmac").build();
        endpoint.serve(new JWKSet(List.of(TestKeys.ED25519, TestKeys.RSA, hmac)));
        RemoteJwksSource source = source();

        JWK ed = source.key("ed-1").orElseThrow();
        assertThat(ed.isPrivate()).isFalse();
        assertThat(ed.toPublicJWK()).isEqualTo(TestKeys.ED25519.toPublicJWK());
        assertThat(source.key("rsa-1").orElseThrow().isPrivate()).isFalse();
        assertThat(source.key("hmac")).isEmpty();
    }

    @Test
    void refetchesOnceTheTtlHasPassed() {
        RemoteJwksSource source = source();
        assertThat(source.key("ed-1")).isPresent();

        endpoint.serve(new JWKSet(TestKeys.ED25519_ROTATED));
        clock.advance(Duration.ofMinutes(5));

        assertThat(source.key("ed-1")).as("withdrawn at the issuer").isEmpty();
        assertThat(source.key("ed-2")).isPresent();
        assertThat(endpoint.fetches()).isEqualTo(2);
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePerMinimumInterval() {
        RemoteJwksSource source = source();
        assertThat(source.key("ed-1")).isPresent();
        endpoint.serve(new JWKSet(List.of(TestKeys.ED25519, TestKeys.ED25519_ROTATED)));

        // Right after a fetch, an unknown kid does not fetch again.
        assertThat(source.key("ed-2")).isEmpty();
        assertThat(endpoint.fetches()).isEqualTo(1);

        // Once the interval has passed, it does, and picks up the rotated key.
        clock.advance(Duration.ofSeconds(10));
        assertThat(source.key("ed-2")).isPresent();
        assertThat(endpoint.fetches()).isEqualTo(2);

        // A second unknown kid within the interval does not fetch.
        clock.advance(Duration.ofSeconds(9));
        assertThat(source.key("made-up")).isEmpty();
        assertThat(source.key("made-up-too")).isEmpty();
        assertThat(endpoint.fetches()).isEqualTo(2);

        // After the interval it may fetch once more.
        clock.advance(Duration.ofSeconds(1));
        assertThat(source.key("made-up")).isEmpty();
        assertThat(endpoint.fetches()).isEqualTo(3);
        assertThat(source.key("ed-1")).isPresent();
        assertThat(endpoint.fetches()).isEqualTo(3);
    }

    @Test
    void aVerifierAcceptsTokensFromARotatedKey() {
        TokenVerifier verifier = TokenVerifier.builder().issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .jwks(source()).clock(clock).build();
        assertThat(verifier.verify(TestTokens.ed25519(TestTokens.claims(T0).build()), Set.of()).allowed()).isTrue();

        endpoint.serve(new JWKSet(List.of(TestKeys.ED25519, TestKeys.ED25519_ROTATED)));
        clock.advance(Duration.ofSeconds(30));
        String rotated = TestTokens.ed25519(TestKeys.ED25519_ROTATED, TestTokens.claims(clock.instant()).build());

        assertThat(verifier.verify(rotated, Set.of()).allowed()).isTrue();
        assertThat(endpoint.fetches()).isEqualTo(2);
    }

    @Test
    void servesCachedKeysThroughAnIssuerOutage() throws Exception {
        RemoteJwksSource source = source();
        assertThat(source.key("ed-1")).isPresent();

        server.stop();
        clock.advance(Duration.ofMinutes(6));
        assertThat(source.key("ed-1")).isPresent();
        assertThat(source.key("ed-unknown")).isEmpty();
        clock.advance(Duration.ofMinutes(30));
        assertThat(source.key("ed-1")).isPresent();

        assertThat(endpoint.fetches()).isEqualTo(1);
        assertThat(source.attempts()).isEqualTo(3);
    }

    @Test
    void keepsCachedKeysWhenTheIssuerAnswersWithAnError() {
        RemoteJwksSource source = source();
        assertThat(source.key("ed-1")).isPresent();

        endpoint.status(500);
        endpoint.serve(new JWKSet(TestKeys.ED25519_ROTATED));
        clock.advance(Duration.ofMinutes(5));
        assertThat(source.key("ed-1")).isPresent();

        endpoint.serveRaw("{\"keys\": \"not a list\"}");
        endpoint.status(200);
        clock.advance(Duration.ofSeconds(10));
        assertThat(source.key("ed-1")).isPresent();
        assertThat(endpoint.fetches()).isEqualTo(3);
    }

    @Test
    void refusesAnOversizedKeySet() {
        endpoint.serveRaw("{\"keys\":[],\"padding\":\"" + "x".repeat(RemoteJwksSource.MAX_BYTES) + "\"}");
        RemoteJwksSource source = source();

        assertThatThrownBy(() -> source.key("ed-1")).isInstanceOf(MayflyException.class);
    }

    @Test
    void withoutAnyKeysYetItIsUnavailableAndRetriesOnlyAfterTheInterval() {
        endpoint.status(503);
        RemoteJwksSource source = source();

        assertThatThrownBy(() -> source.key("ed-1")).isInstanceOfSatisfying(MayflyException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> source.key("ed-1")).isInstanceOf(MayflyException.class);
        assertThat(endpoint.fetches()).isEqualTo(1);

        TokenVerifier verifier = TokenVerifier.builder().issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
                .jwks(source).clock(clock).build();
        String token = TestTokens.ed25519(TestTokens.claims(T0).build());
        Decision d = verifier.verify(token, Set.of());
        assertThat(d.error().code()).as("not INVALID: the token may be fine").isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(d.error().retryable()).isTrue();

        endpoint.status(200);
        clock.advance(Duration.ofSeconds(10));
        assertThat(verifier.verify(token, Set.of()).allowed()).isTrue();
        assertThat(endpoint.fetches()).isEqualTo(2);
    }

    @Test
    void concurrentCallersShareOneFetch() throws Exception {
        RemoteJwksSource source = source();
        CountDownLatch release = endpoint.hold();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<JWK>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> source.key("ed-1")));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((endpoint.fetches() < 1 || source.waitingForFetch() < 3) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(source.waitingForFetch()).as("callers queued behind the fetch in flight").isEqualTo(3);
            // Even if the fetch outlasts the minimum interval, the callers waiting on it use its result.
            clock.advance(Duration.ofSeconds(30));
            release.countDown();

            for (Future<Optional<JWK>> r : results) {
                assertThat(r.get(10, TimeUnit.SECONDS)).isPresent();
            }
            assertThat(endpoint.fetches()).isEqualTo(1);
            assertThat(source.attempts()).isEqualTo(1);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNonHttpUrisAndNonPositiveIntervals() {
        assertThatThrownBy(() -> JwksSource.remote(URI.create("file:///etc/jwks.json"), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwksSource.remote(jwksUri, clock, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JwksSource.remote(jwksUri, clock, Duration.ofMinutes(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.mayfly.verifier.attack;

import static dev.mayfly.verifier.fixtures.TestTokens.AUDIENCE;
import static dev.mayfly.verifier.fixtures.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.TokenVerifier;
import dev.mayfly.verifier.fixtures.JwksEndpoint;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestServer;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attack catalogue ({@link AttackTokens}) against the verifier, for an Ed25519 and an RSA issuer key:
 * every attack is {@code CREDENTIALS_INVALID} while the genuine token is valid, and still
 * {@code CREDENTIALS_INVALID} (not expired) once the genuine token has expired. No attack makes the
 * verifier open a connection anywhere.
 */
class JwtAttackTest {
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");
    static final Set<String> READ = Set.of("orders:read");
    static final ConnectionRecorder RECORDER = new ConnectionRecorder();
    static final JwksEndpoint JWKS_ENDPOINT =
            new JwksEndpoint(TestKeys.published(TestKeys.ED25519, TestKeys.RSA, TestKeys.ED25519_ROTATED));
    static TestServer jwksServer;

    final ManualClock clock = new ManualClock(T0);
    final AtomicReference<JWKSet> published =
            new AtomicReference<>(TestKeys.published(TestKeys.ED25519, TestKeys.RSA, TestKeys.ED25519_ROTATED));

    TokenVerifier verifier(JwksSource jwks) {
        return TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).jwks(jwks)
                .revocations(c -> Optional.empty()).clock(clock).build();
    }

    final TokenVerifier verifier = verifier(JwksSource.ofJson(() -> published.get().toString()));

    static AttackTokens.Target target(JWK key) {
        return new AttackTokens.Target(key, TestTokens.claims(T0).build(), T0, RECORDER.url());
    }

    static Stream<Arguments> attacks() {
        return Stream.of(TestKeys.ED25519, TestKeys.RSA).flatMap(key -> AttackTokens.against(target(key)).stream()
                .map(a -> Arguments.of(key.getKeyType() + " issuer: " + a.name(), a)));
    }

    @BeforeAll
    static void startJwksServer() throws Exception {
        jwksServer = TestServer.start(JWKS_ENDPOINT);
    }

    @AfterAll
    static void close() {
        RECORDER.close();
        jwksServer.close();
    }

    static MayflyError invalid(Decision d) {
        return invalid("", d);
    }

    static MayflyError invalid(String attack, Decision d) {
        assertThat(d.allowed()).as("%s: the attack was accepted", attack).isFalse();
        MayflyError e = d.error();
        assertThat(e.code()).as("%s: %s", attack, e.message()).isEqualTo(ErrorCode.CREDENTIALS_INVALID);
        assertThat(e.expiredAt()).isNull();
        assertThat(e.toMap()).doesNotContainKeys("expired", "expired_at");
        return e;
    }

    @Test
    void theGenuineTokensAreValidNowAndExpiredLater() {
        for (JWK key : List.of(TestKeys.ED25519, TestKeys.RSA)) {
            String genuine = AttackTokens.genuine(target(key));
            assertThat(verifier.verify(genuine, READ).allowed()).as(key.getKeyType().getValue()).isTrue();
        }
        clock.advance(Duration.ofHours(2));
        for (JWK key : List.of(TestKeys.ED25519, TestKeys.RSA)) {
            Decision d = verifier.verify(AttackTokens.genuine(target(key)), READ);
            assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_EXPIRED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isInvalid(String name, AttackTokens.Attack attack) {
        invalid(name, verifier.verify(attack.token(), READ));
        // Twice: a second look (the verification cache) must not change the answer.
        invalid(name, verifier.verify(attack.token(), READ));
        // And for a caller that needs no scope at all.
        invalid(name, verifier.verify(attack.token(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isInvalidNotExpiredOnceTheGenuineTokenHasExpired(String name, AttackTokens.Attack attack) {
        clock.advance(Duration.ofHours(2));
        invalid(name, verifier.verify(attack.token(), READ));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isInvalidForAVerifierThatFetchesItsKeys(String name, AttackTokens.Attack attack) {
        TokenVerifier remote = verifier(JwksSource.remote(jwksServer.uri("/jwks.json"), clock));
        invalid(name, remote.verify(attack.token(), READ));
        clock.advance(Duration.ofHours(2));
        invalid(name, remote.verify(attack.token(), READ));
        assertThat(RECORDER.connections()).as("connections to the URLs in jku/x5u headers").isZero();
    }

    @Test
    void noAttackMadeTheVerifierConnectAnywhere() {
        attacks().forEach(args -> verifier.verify(((AttackTokens.Attack) args.get()[1]).token(), READ));
        assertThat(RECORDER.connections()).as("connections to the URLs in jku/x5u headers").isZero();
    }

    @Test
    void aTokenOfAKeyRotatedOutIsInvalidEvenAfterItVerifiedOnce() {
        String byOldKey = TestTokens.ed25519(TestKeys.ED25519_ROTATED, TestTokens.claims(T0).build());
        assertThat(verifier.verify(byOldKey, READ).allowed()).isTrue();

        published.set(TestKeys.published(TestKeys.ED25519, TestKeys.RSA));
        MayflyError e = invalid(verifier.verify(byOldKey, READ));
        assertThat(e.message()).contains("unknown signing key");
        clock.advance(Duration.ofHours(2));
        invalid(verifier.verify(byOldKey, READ));
    }

    @Test
    void aKeyOfTheJwksSigningForAnotherIssuerIsInvalid() {
        String other = TestTokens.ed25519(TestTokens.claims(T0).issuer("https://other-broker.test").build());
        assertThat(invalid(verifier.verify(other, READ)).message()).contains("another issuer");
    }
}

package dev.mayfly.verifier;

import static dev.mayfly.verifier.fixtures.TestTokens.AUDIENCE;
import static dev.mayfly.verifier.fixtures.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The verification cache saves signature work and never lets a token through that the full pipeline would stop. */
class VerificationCacheTest {
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");
    static final Set<String> READ = Set.of("orders:read");

    final ManualClock clock = new ManualClock(T0);
    final AtomicReference<JWKSet> published = new AtomicReference<>(TestKeys.published(TestKeys.ED25519));
    final AtomicReference<Revocation> revocation = new AtomicReference<>();
    final String token = TestTokens.ed25519(TestTokens.claims(T0).build());

    JwtTokenVerifier verifier(long cacheSize) {
        return (JwtTokenVerifier) TokenVerifier.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .jwks(JwksSource.ofJson(() -> published.get().toString()))
                .revocations(claims -> Optional.ofNullable(revocation.get()))
                .clock(clock)
                .verificationCacheSize(cacheSize)
                .build();
    }

    @Test
    void aTokenSeenBeforeSkipsSignatureWork() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();
        assertThat(v.verify(token, READ).allowed()).isTrue();
        assertThat(v.verify(token, READ).claims().jwtId()).isEqualTo("jti-42");

        assertThat(v.signatureChecks()).isEqualTo(1);
        assertThat(v.cachedTokens()).isEqualTo(1);
    }

    @Test
    void withTheCacheDisabledEverySignatureIsChecked() {
        JwtTokenVerifier v = verifier(0);
        v.verify(token, READ);
        v.verify(token, READ);

        assertThat(v.signatureChecks()).isEqualTo(2);
        assertThat(v.cachedTokens()).isZero();
    }

    @Test
    void aCachedTokenIsRejectedOnceItExpires() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();

        clock.advance(Duration.ofMinutes(10).plusSeconds(30));
        Decision d = v.verify(token, READ);

        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_EXPIRED);
        assertThat(d.error().message()).isEqualTo("Access token expired at 2026-11-22T14:15:00Z.");
    }

    @Test
    void aCachedTokenIsRejectedOnceRevoked() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();

        revocation.set(new Revocation(Revocation.Granularity.SESSION, "logout"));
        Decision d = v.verify(token, READ);

        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_REVOKED);
        assertThat(d.error().reauthCommand()).isEqualTo("mayfly auth login");
        assertThat(v.signatureChecks()).isEqualTo(1);
    }

    @Test
    void aCachedTokenStillNeedsTheScopesOfEachCall() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();

        Decision d = v.verify(token, List.of("orders:delete"));

        assertThat(d.error().code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(d.error().missingScopes()).containsExactly("orders:delete");
    }

    @Test
    void aCachedTokenStillChecksNotBefore() {
        String early = TestTokens.ed25519(TestTokens.claims(T0).notBeforeTime(java.util.Date.from(T0.plusSeconds(60)))
                .build());
        clock.advance(Duration.ofSeconds(60));
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(early, READ).allowed()).isTrue();

        clock.set(T0);
        assertThat(v.verify(early, READ).error().message()).contains("not yet valid");
    }

    @Test
    void aCachedTokenIsRejectedOnceItsKeyIsNoLongerPublished() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();

        published.set(TestKeys.published(TestKeys.ED25519_ROTATED));
        Decision d = v.verify(token, READ);

        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID);
        assertThat(d.error().message()).contains("unknown signing key");
        assertThat(v.cachedTokens()).isZero();
    }

    @Test
    void aKeyReplacedUnderTheSameKidDoesNotVouchForCachedTokens() {
        JwtTokenVerifier v = verifier(100);
        assertThat(v.verify(token, READ).allowed()).isTrue();

        published.set(TestKeys.published(TestKeys.ed25519("ed-1")));
        Decision d = v.verify(token, READ);

        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID);
        assertThat(d.error().message()).contains("signature");
        assertThat(v.signatureChecks()).isEqualTo(2);
    }

    @Test
    void entriesLeaveTheCacheWhenTheirTokenExpires() {
        JwtTokenVerifier v = verifier(100);
        v.verify(token, READ);
        assertThat(v.cachedTokens()).isEqualTo(1);

        clock.advance(Duration.ofMinutes(10).plusSeconds(29));
        assertThat(v.cachedTokens()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(v.cachedTokens()).isZero();
    }

    @Test
    void rejectedTokensAreNotCached() {
        JwtTokenVerifier v = verifier(100);
        String forged = TestTokens.ed25519(TestKeys.ed25519("ed-1"), TestTokens.claims(T0).build());
        String wrongIssuer = TestTokens.ed25519(TestTokens.claims(T0).issuer("https://evil.test").build());
        v.verify(forged, READ);
        v.verify(forged, READ);
        v.verify(wrongIssuer, READ);

        assertThat(v.cachedTokens()).isZero();
        assertThat(v.signatureChecks()).isEqualTo(3);
    }

    @Test
    void theCacheIsBoundedInSize() {
        JwtTokenVerifier v = verifier(3);
        for (int i = 0; i < 10; i++) {
            String t = TestTokens.ed25519(TestTokens.claims(T0).jwtID("jti-" + i).build());
            assertThat(v.verify(t, READ).allowed()).isTrue();
        }
        assertThat(v.cachedTokens()).isLessThanOrEqualTo(3);
    }
}

package dev.mayfly.verifier.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.util.Base64URL;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.JwksSource;
import dev.mayfly.verifier.TokenVerifier;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes token verification. Properties: {@link TokenVerifier#verify} never throws, a rejection is one of
 * the auth codes a token can earn, and nothing but a token the issuer signed is ever allowed or reported
 * expired. The fuzzer builds tokens in two ways: raw text, and JWS-shaped tokens from a fuzzed header and
 * payload with a real signature (so it gets past the signature check and into claim parsing).
 *
 * <p>Default run: replays {@code TokenVerifierFuzzTestInputs/}. Fuzzing: see docs/testing.md.
 */
class TokenVerifierFuzzTest {
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");
    static final Set<ErrorCode> TOKEN_CODES = EnumSet.of(ErrorCode.CREDENTIALS_INVALID,
            ErrorCode.CREDENTIALS_MISSING, ErrorCode.CREDENTIALS_EXPIRED, ErrorCode.PERMISSION_DENIED);

    final ManualClock clock = new ManualClock(T0);
    final TokenVerifier verifier = TokenVerifier.builder()
            .issuer(TestTokens.ISSUER).audience(TestTokens.AUDIENCE)
            .jwks(JwksSource.ofJson(() -> TestKeys.published(TestKeys.ED25519, TestKeys.RSA).toString()))
            .revocations(c -> Optional.empty())
            .clock(clock)
            .verificationCacheSize(0)
            .build();

    @FuzzTest(maxDuration = "5m")
    void rawTokens(FuzzedDataProvider data) {
        clock.set(T0.plusSeconds(data.consumeInt(-100_000, 100_000)));
        String token = data.consumeRemainingAsString();
        Decision d = verifier.verify(token, List.of("orders:read"));
        // Raw text can only be signed by chance; anything else is a forged token.
        assertThat(d.allowed()).as("a token nobody signed was accepted").isFalse();
        assertThat(d.error().code()).isIn(ErrorCode.CREDENTIALS_INVALID, ErrorCode.CREDENTIALS_MISSING);
    }

    @FuzzTest(maxDuration = "5m")
    void signedHeadersAndPayloads(FuzzedDataProvider data) {
        clock.set(T0.plusSeconds(data.consumeInt(-100_000, 100_000)));
        boolean rsa = data.consumeBoolean();
        String header = data.consumeString(600);
        String payload = data.consumeRemainingAsString();
        String input = b64(header) + "." + b64(payload);
        JWSSigner signer = rsa ? TestTokens.signer(TestKeys.RSA) : TestTokens.signer(TestKeys.ED25519);
        String token;
        try {
            token = input + "." + signer.sign(new JWSHeader(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.EdDSA),
                    input.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        Decision d = verifier.verify(token, List.of());
        if (d.allowed()) {
            // Signed by the issuer's key: allowed only with the right issuer, audience and a live exp.
            assertThat(d.claims().issuer()).isEqualTo(TestTokens.ISSUER);
            assertThat(d.claims().audience()).contains(TestTokens.AUDIENCE);
            assertThat(d.claims().expiresAt().plus(Duration.ofSeconds(30))).isAfter(clock.instant());
        } else {
            assertThat(d.error().code()).isIn(TOKEN_CODES);
            if (d.error().code() == ErrorCode.CREDENTIALS_EXPIRED) {
                assertThat(d.error().expiredAt()).isNotNull().isBeforeOrEqualTo(clock.instant());
            }
        }
    }

    private static String b64(String s) {
        return Base64URL.encode(s.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

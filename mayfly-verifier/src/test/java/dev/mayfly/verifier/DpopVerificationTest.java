package dev.mayfly.verifier;

import static dev.mayfly.verifier.fixtures.TestTokens.AUDIENCE;
import static dev.mayfly.verifier.fixtures.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The verifier's DPoP presentation (RFC 9449 §7): proof checks, binding, no Bearer downgrade, the DPoP challenge. */
class DpopVerificationTest {
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");
    static final String URI = "https://api.test/orders";

    final ManualClock clock = new ManualClock(T0);
    final TokenVerifier verifier = TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE)
            .jwks(JwksSource.ofJson(() -> TestKeys.published(TestKeys.ED25519).toString())).clock(clock).build();
    final ECKey key = generate();

    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String boundToken(ECKey to) throws Exception {
        JWTClaimsSet claims = TestTokens.claims(clock.instant())
                .claim("cnf", Map.of("jkt", to.toPublicJWK().computeThumbprint().toString())).build();
        return TestTokens.ed25519(claims);
    }

    String proof(ECKey by, String method, String uri, Instant iat, String token) throws Exception {
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
                .claim("htm", method).claim("htu", uri).issueTime(Date.from(iat));
        if (token != null) {
            c.claim("ath", DpopProofVerifier.ath(token));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(new JOSEObjectType("dpop+jwt")).jwk(by.toPublicJWK()).build(), c.build());
        jwt.sign(new ECDSASigner(by));
        return jwt.serialize();
    }

    @Test
    void aBoundTokenWithItsProofIsAcceptedOnceAndNeverAsBearer() throws Exception {
        String token = boundToken(key);
        String proof = proof(key, "GET", URI, clock.instant(), token);
        Decision ok = verifier.verify(token, proof, "GET", URI + "?page=2", List.of("orders:read"));
        assertThat(ok.allowed()).as(String.valueOf(ok)).isTrue();
        assertThat(ok.claims().boundKey()).isEqualTo(key.toPublicJWK().computeThumbprint().toString());

        Decision replay = verifier.verify(token, proof, "GET", URI, List.of());
        assertThat(replay.error().message()).contains("already used");

        Decision bearer = verifier.verify(token, List.of());
        assertThat(bearer.error().code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID);
        assertThat(bearer.authenticClaims()).isPresent();
        AuthFailureResponse r = AuthFailureResponse.of(bearer.error(), "req_1", 0);
        assertThat(r.headers().get("WWW-Authenticate"))
                .isEqualTo("DPoP realm=\"mayfly\", error=\"invalid_token\", error_description=\"" + bearer.error().message()
                        + "\", algs=\"EdDSA ES256 RS256 PS256\"");

        assertThat(verifier.verifyIgnoringBinding(token, List.of()).allowed()).isTrue();
        assertThat(verifier.verifyRequest("DPoP " + token, List.of(proof(key, "GET", URI, clock.instant(), token)),
                "GET", URI, List.of()).allowed()).isTrue();
        assertThat(verifier.verifyRequest("Bearer " + token, List.of(), "GET", URI, List.of()).allowed()).isFalse();
    }

    @Test
    void htuIsComparedNormalisedWithoutQueryOrFragment() throws Exception {
        String token = boundToken(key);
        String proof = proof(key, "GET", "HTTPS://API.test:443/x/../orders#frag", clock.instant(), token);
        assertThat(verifier.verify(token, proof, "GET", "https://api.test/orders?q=1", List.of()).allowed()).isTrue();
        assertThat(HttpTargetUri.normalise("http://Host:80")).isEqualTo("http://host/");
        assertThat(HttpTargetUri.normalise("https://h/a%2fb")).isEqualTo("https://h/a%2Fb");
        assertThat(HttpTargetUri.normalise("https://h:8443/p")).isEqualTo("https://h:8443/p");
        assertThat(HttpTargetUri.normalise("ftp://h/p")).isNull();
        assertThat(HttpTargetUri.normalise("/relative")).isNull();
    }

    @Test
    void anExpiredBoundTokenIsChallengedWithDpopAndItsExpiry() throws Exception {
        String token = boundToken(key);
        clock.advance(Duration.ofMinutes(11));
        Decision d = verifier.verify(token, proof(key, "GET", URI, clock.instant(), token), "GET", URI, List.of());
        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_EXPIRED);
        assertThat(AuthFailureResponse.of(d.error(), "r", 0).headers().get("WWW-Authenticate"))
                .startsWith("DPoP realm=\"mayfly\", error=\"invalid_token\", error_description=\"token expired\"");
    }

    @Test
    void theReplayCacheForgetsOnlyWhatTheIatWindowAlreadyRefuses() throws Exception {
        DpopProofVerifier proofs = DpopProofVerifier.builder().clock(clock).build();
        String p = proof(key, "POST", URI, clock.instant(), null);
        assertThat(proofs.verify(p, "POST", URI, null).keyThumbprint()).isNotBlank();
        clock.advance(Duration.ofSeconds(59));
        assertThat(DpopFailureOf(() -> proofs.verify(p, "POST", URI, null))).contains("already used");
        clock.advance(Duration.ofSeconds(200)); // the jti may be gone now; the proof is stale either way
        assertThat(DpopFailureOf(() -> proofs.verify(p, "POST", URI, null))).contains("iat");
    }

    @Test
    void aNonceIsDemandedWhenConfiguredAndItsValueHandedOut() throws Exception {
        DpopNonces nonces = new DpopNonces() {
            @Override
            public String current() {
                return "n-1";
            }

            @Override
            public boolean accepts(String nonce) {
                return "n-1".equals(nonce);
            }
        };
        DpopProofVerifier proofs = DpopProofVerifier.builder().clock(clock).nonces(nonces).build();
        try {
            proofs.verify(proof(key, "POST", URI, clock.instant(), null), "POST", URI, null);
            throw new AssertionError("accepted a proof without nonce");
        } catch (dev.mayfly.core.error.MayflyException e) {
            assertThat(e.error().details()).containsEntry("dpop_error", "use_dpop_nonce").containsEntry("dpop_nonce", "n-1");
            var response = AuthFailureResponse.of(DpopTokens.tagged(e.error().toBuilder()).build(), "r", 0);
            assertThat(response.headers()).containsEntry("DPoP-Nonce", "n-1");
            assertThat(response.headers().get("WWW-Authenticate")).contains("error=\"use_dpop_nonce\"");
        }
    }

    @Test
    void aConfirmationWithoutJktIsAMalformedToken() {
        String token = TestTokens.ed25519(TestTokens.claims(clock.instant()).claim("cnf", Map.of("x5t#S256", "abc")).build());
        Decision d = verifier.verifyIgnoringBinding(token, List.of());
        assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_INVALID);
        assertThat(d.error().message()).contains("malformed");
    }

    private static String DpopFailureOf(Runnable r) {
        try {
            r.run();
            return "accepted";
        } catch (dev.mayfly.core.error.MayflyException e) {
            return e.error().message();
        }
    }
}

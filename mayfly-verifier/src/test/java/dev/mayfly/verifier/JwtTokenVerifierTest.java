package dev.mayfly.verifier;

import static dev.mayfly.verifier.fixtures.TestTokens.AUDIENCE;
import static dev.mayfly.verifier.fixtures.TestTokens.ISSUER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.verifier.fixtures.TestKeys;
import dev.mayfly.verifier.fixtures.TestTokens;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JwtTokenVerifierTest {
    /** Tokens from {@link TestTokens#claims} issued now expire at 14:15:00Z. */
    static final Instant T0 = Instant.parse("2026-11-22T14:05:00Z");
    static final Set<String> READ = Set.of("orders:read");

    final ManualClock clock = new ManualClock(T0);
    final AtomicReference<JWKSet> published =
            new AtomicReference<>(TestKeys.published(TestKeys.ED25519, TestKeys.RSA, TestKeys.RSA_WEAK));
    final AtomicReference<Revocation> revocation = new AtomicReference<>();

    TokenVerifier.Builder builder() {
        return TokenVerifier.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .jwks(JwksSource.ofJson(() -> published.get().toString()))
                .revocations(claims -> Optional.ofNullable(revocation.get()))
                .clock(clock);
    }

    final TokenVerifier verifier = builder().build();

    JWTClaimsSet.Builder claims() {
        return TestTokens.claims(T0);
    }

    /** Rejected with {@code code}; and whatever the reason, the error never quotes the token. */
    MayflyError rejected(TokenVerifier v, String token, ErrorCode code) {
        Decision d = v.verify(token, READ);
        assertThat(d.allowed()).as("allowed: %s", d).isFalse();
        assertThat(d.error().code()).as(d.error().message()).isEqualTo(code);
        String wire = Json.write(d.error());
        if (token != null) {
            for (String part : token.split("\\.")) {
                if (part.length() >= 8) {
                    assertThat(wire).doesNotContain(part).doesNotContain(part.substring(0, 8));
                }
            }
        }
        return d.error();
    }

    MayflyError rejected(String token, ErrorCode code) {
        return rejected(verifier, token, code);
    }

    static JWTClaimsSet without(JWTClaimsSet claims, String name) {
        Map<String, Object> m = new LinkedHashMap<>(claims.toJSONObject());
        m.remove(name);
        try {
            return JWTClaimsSet.parse(m);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class Allowed {
        @Test
        void mapsEveryClaimOfAnEd25519Token() {
            Decision d = verifier.verify(TestTokens.ed25519(claims().build()), READ);

            assertThat(d.allowed()).as("%s", d).isTrue();
            AccessTokenClaims c = d.claims();
            assertThat(c.issuer()).isEqualTo(ISSUER);
            assertThat(c.subject()).isEqualTo("agent-7");
            assertThat(c.audience()).containsExactly(AUDIENCE);
            assertThat(c.expiresAt()).isEqualTo(Instant.parse("2026-11-22T14:15:00Z"));
            assertThat(c.issuedAt()).isEqualTo(T0);
            assertThat(c.notBefore()).isEqualTo(T0);
            assertThat(c.jwtId()).isEqualTo("jti-42");
            assertThat(c.clientId()).isEqualTo("cli_agent7");
            assertThat(c.scopes()).containsExactly("orders:read", "orders:write");
            assertThat(c.sessionId()).isEqualTo("ses-1");
            assertThat(c.taskId()).isEqualTo("task-9");
            assertThat(c.isTaskToken()).isTrue();
            assertThat(c.tier()).isEqualTo(Tier.STANDARD);
            assertThat(c.actor()).isEqualTo(Map.of("sub", "user-alice", "act", Map.of("sub", "planner")));
        }

        @Test
        void rs256TokenWithAudienceArrayAndNoTask() {
            JWTClaimsSet c = without(claims().audience(List.of("https://other.test", AUDIENCE)).build(), "task");
            Decision d = verifier.verify(TestTokens.rs256(c), READ);

            assertThat(d.allowed()).as("%s", d).isTrue();
            assertThat(d.claims().audience()).containsExactly("https://other.test", AUDIENCE);
            assertThat(d.claims().taskId()).isNull();
            assertThat(d.claims().isTaskToken()).isFalse();
        }

        @Test
        void optionalClaimsMayBeAbsent() {
            JWTClaimsSet c = claims().build();
            for (String name : List.of("nbf", "iat", "client_id", "scope", "task", "tier", "act")) {
                c = without(c, name);
            }
            Decision d = verifier.verify(TestTokens.ed25519(c), List.of());

            assertThat(d.allowed()).as("%s", d).isTrue();
            assertThat(d.claims().scopes()).isEmpty();
            assertThat(d.claims().tier()).isNull();
            assertThat(d.claims().actor()).isNull();
            assertThat(d.claims().notBefore()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"at+jwt", "AT+JWT", "application/at+jwt", "Application/At+Jwt"})
        void typeIsAtJwtInAnyCaseWithOrWithoutPrefix(String typ) {
            Map<String, Object> header = TestTokens.header("EdDSA", "ed-1");
            header.put("typ", typ);
            String token = TestTokens.sign(header, claims().build(), TestTokens.signer(TestKeys.ED25519));

            assertThat(verifier.verify(token, READ).allowed()).isTrue();
        }

        @Test
        void anyAudienceAcceptsATokenForAnotherAudience() {
            String token = TestTokens.ed25519(claims().audience("https://elsewhere.test").build());
            TokenVerifier anyAudience = TokenVerifier.builder().issuer(ISSUER).anyAudience()
                    .jwks(JwksSource.ofJson(() -> published.get().toString())).clock(clock).build();

            assertThat(anyAudience.verify(token, READ).allowed()).isTrue();
            rejected(token, ErrorCode.CREDENTIALS_INVALID);
        }

        @Test
        void notBeforeWithinLeewayIsAccepted() {
            String token = TestTokens.ed25519(claims().notBeforeTime(Date.from(T0.plusSeconds(20))).build());

            assertThat(verifier.verify(token, READ).allowed()).isTrue();
        }

        @Test
        void fullySpecifiedEd25519AlgorithmWhenConfigured() {
            String token = TestTokens.sign(TestTokens.header("Ed25519", "ed-1"), claims().build(),
                    TestTokens.signer(TestKeys.ED25519));

            assertThat(builder().algorithms("Ed25519").build().verify(token, READ).allowed()).isTrue();
            MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("algorithm");
        }
    }

    @Nested
    class Expiry {
        @Test
        void expiredTokenSaysWhenAndHowToRecover() {
            clock.advance(Duration.ofMinutes(11));
            MayflyError e = rejected(TestTokens.ed25519(claims().build()), ErrorCode.CREDENTIALS_EXPIRED);

            assertThat(e.message()).isEqualTo("Access token expired at 2026-11-22T14:15:00Z.");
            assertThat(e.expiredAt()).isEqualTo(Instant.parse("2026-11-22T14:15:00Z"));
            assertThat(e.retryable()).isTrue();
            assertThat(e.reauthCommand()).isEqualTo("mayfly auth refresh");
            assertThat(e.toMap())
                    .containsEntry("expired", true)
                    .containsEntry("expired_at", "2026-11-22T14:15:00Z")
                    .containsEntry("retryable", true)
                    .containsEntry("reauth_command", "mayfly auth refresh")
                    .containsEntry("reauth_env_var", "MAYFLY_TOKEN");
        }

        @Test
        void anExpiredOrRevokedTokenStillSaysWhoseItWasButAForgedOneDoesNot() {
            String token = TestTokens.ed25519(claims().build());
            clock.advance(Duration.ofMinutes(11));
            Decision expired = verifier.verify(token, READ);
            assertThat(expired.allowed()).isFalse();
            assertThat(expired.authenticClaims()).as("for attributing the refusal").isPresent();
            assertThat(expired.authenticClaims().get().taskId()).isEqualTo("task-9");

            String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
            Decision bad = verifier.verify(forged, READ);
            assertThat(bad.allowed()).isFalse();
            assertThat(bad.authenticClaims()).as("nothing an unverified token says is trusted").isEmpty();
        }

        @Test
        void expiredByLessThanTheLeewayIsStillAccepted() {
            String token = TestTokens.ed25519(claims().build());
            clock.advance(Duration.ofMinutes(10).plusSeconds(29));
            assertThat(verifier.verify(token, READ).allowed()).isTrue();

            clock.advance(Duration.ofSeconds(1));
            rejected(token, ErrorCode.CREDENTIALS_EXPIRED);
        }

        @Test
        void forgedSignatureOnAnExpiredTokenIsInvalidNotExpired() {
            JWTClaimsSet c = claims().build();
            String forgedWithOtherKey = TestTokens.sign(TestTokens.header("EdDSA", "ed-1"), c,
                    TestTokens.signer(TestKeys.ed25519("ed-1")));
            String genuine = TestTokens.ed25519(c);
            String[] parts = genuine.split("\\.");
            String tamperedPayload = parts[0] + "."
                    + TestTokens.encode(claims().subject("agent-admin").build().toJSONObject()) + "." + parts[2];
            String garbledSignature = parts[0] + "." + parts[1] + "." + flipFirst(parts[2]);
            clock.advance(Duration.ofHours(1));

            rejected(genuine, ErrorCode.CREDENTIALS_EXPIRED);
            for (String token : List.of(forgedWithOtherKey, tamperedPayload, garbledSignature)) {
                MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
                assertThat(e.message()).contains("signature");
                assertThat(e.expiredAt()).isNull();
                assertThat(e.toMap()).doesNotContainKeys("expired", "expired_at");
            }
        }

        private String flipFirst(String s) {
            return (s.charAt(0) == 'A' ? "B" : "A") + s.substring(1);
        }

        @Test
        void notYetValid() {
            MayflyError e = rejected(TestTokens.ed25519(claims().notBeforeTime(Date.from(T0.plusSeconds(120))).build()),
                    ErrorCode.CREDENTIALS_INVALID);

            assertThat(e.message()).contains("not yet valid");
        }
    }

    @Nested
    class Invalid {
        @ParameterizedTest
        @ValueSource(strings = {"abc", "a.b", "a.b.c.d", "!!!.###.$$$", "..", "eyJ.eyJ.", "a b.c d.e f",
                "eyJhbGciOiJFZERTQSJ9.e30.c2ln\n", "éé.éé.éé"})
        void garbageIsMalformed(String token) {
            MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.reauthCommand()).isEqualTo("mayfly auth login");
        }

        @Test
        void headerThatIsNotAJsonObjectIsMalformed() {
            for (String header : List.of("[1,2]", "not json", "\"EdDSA\"", "{\"alg\":")) {
                rejected(b64(header) + ".e30.c2lnbmF0dXJl", ErrorCode.CREDENTIALS_INVALID);
            }
        }

        @Test
        void wrongIssuer() {
            MayflyError e = rejected(TestTokens.ed25519(claims().issuer("https://evil.test").build()),
                    ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("issuer");
        }

        @Test
        void wrongAudienceSaysHowToGetTheRightOne() {
            MayflyError e = rejected(TestTokens.ed25519(claims().audience("https://other.test").build()),
                    ErrorCode.CREDENTIALS_INVALID);

            // A command that works run verbatim: `mayfly token issue` requires --scope (the token's own here).
            assertThat(e.reauthCommand())
                    .isEqualTo("mayfly token issue --scope orders:read --scope orders:write --audience https://api.test");
            assertThat(e.details()).containsEntry("expected_audience", AUDIENCE);
            assertThat(e.toMap()).containsEntry("expected_audience", AUDIENCE);
        }

        @Test
        void missingAudienceIsWrongAudience() {
            MayflyError e = rejected(TestTokens.ed25519(without(claims().build(), "aud")), ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.reauthCommand()).startsWith("mayfly token issue --scope ").endsWith(" --audience " + AUDIENCE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"exp", "jti", "sub", "sid"})
        void requiredClaimMissing(String claim) {
            MayflyError e = rejected(TestTokens.ed25519(without(claims().build(), claim)), ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("required claim " + claim);
        }

        @Test
        void claimsOfTheWrongTypeAreMalformed() {
            List<JWTClaimsSet> bad = List.of(
                    claims().claim("scope", List.of("orders:read")).build(),
                    claims().claim("sid", 17).build(),
                    claims().claim("tier", "ultra").build(),
                    claims().claim("act", "user-alice").build());
            for (JWTClaimsSet c : bad) {
                rejected(TestTokens.ed25519(c), ErrorCode.CREDENTIALS_INVALID);
            }
        }

        @Test
        void missingKid() {
            String token = TestTokens.sign(TestTokens.header("EdDSA", null), claims().build(),
                    TestTokens.signer(TestKeys.ED25519));
            MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("key id");
        }

        @Test
        void unknownKid() {
            MayflyError e = rejected(TestTokens.ed25519(TestKeys.ed25519("ed-unknown"), claims().build()),
                    ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("unknown signing key");
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "None", "NONE"})
        void algNone(String alg) {
            MayflyError e = rejected(TestTokens.unsigned(TestTokens.header(alg, "ed-1"), claims().build()),
                    ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).doesNotContain("expired");
            // With a made-up signature part too, so it is the algorithm and not the empty part that fails.
            String withSignature = TestTokens.unsigned(TestTokens.header(alg, "ed-1"), claims().build()) + "c2ln";
            assertThat(rejected(withSignature, ErrorCode.CREDENTIALS_INVALID).message()).contains("algorithm");
        }

        @Test
        void hs256SignedWithTheRsaPublicKeyIsRefused() throws JOSEException {
            byte[] der = TestKeys.RSA.toRSAPublicKey().getEncoded();
            byte[] jwkJson = TestKeys.RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
            for (byte[] secret : List.of(der, jwkJson)) {
                String token = TestTokens.sign(TestTokens.header("HS256", "rsa-1"), claims().build(), new MACSigner(secret));
                MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
                assertThat(e.message()).contains("algorithm");
            }
        }

        @Test
        void rs256HeaderOverAnEd25519KeyIsAlgorithmConfusion() {
            String token = TestTokens.sign(TestTokens.header("RS256", "ed-1"), claims().build(),
                    TestTokens.signer(TestKeys.ED25519));
            MayflyError e = rejected(token, ErrorCode.CREDENTIALS_INVALID);
            assertThat(e.message()).contains("does not fit");
        }

        @Test
        void edDsaHeaderOverAnRsaKeyIsAlgorithmConfusion() {
            String token = TestTokens.sign(TestTokens.header("EdDSA", "rsa-1"), claims().build(),
                    TestTokens.signer(TestKeys.ED25519));
            assertThat(rejected(token, ErrorCode.CREDENTIALS_INVALID).message()).contains("does not fit");
        }

        @Test
        void rsaKeyShorterThan2048BitsIsRefusedEvenWithAValidSignature() {
            String token = TestTokens.sign(TestTokens.header("RS256", "rsa-weak"), claims().build(),
                    TestTokens.signer(TestKeys.RSA_WEAK));
            assertThat(rejected(token, ErrorCode.CREDENTIALS_INVALID).message()).contains("does not fit");
        }

        @Test
        void publishedKeyWhoseAlgDisagreesWithTheHeaderIsRefused() throws JOSEException {
            published.set(new JWKSet(new com.nimbusds.jose.jwk.RSAKey.Builder(TestKeys.RSA.toRSAPublicKey())
                    .keyID("rsa-1").algorithm(com.nimbusds.jose.JWSAlgorithm.PS256).build()));
            assertThat(rejected(TestTokens.rs256(claims().build()), ErrorCode.CREDENTIALS_INVALID).message())
                    .contains("does not fit");
        }

        static Stream<Arguments> forbiddenHeaders() {
            return Stream.of(
                    Arguments.of("jku", "https://evil.test/jwks.json"),
                    Arguments.of("x5u", "https://evil.test/cert.pem"),
                    Arguments.of("jwk", TestKeys.ED25519.toPublicJWK().toJSONObject()),
                    Arguments.of("x5c", List.of("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA")),
                    Arguments.of("crit", List.of("exp")),
                    Arguments.of("b64", false));
        }

        @ParameterizedTest
        @MethodSource("forbiddenHeaders")
        void headersThatNameKeysOrDemandExtensionsAreRefused(String name, Object value) {
            Map<String, Object> header = TestTokens.header("EdDSA", "ed-1");
            String control = TestTokens.sign(header, claims().build(), TestTokens.signer(TestKeys.ED25519));
            assertThat(verifier.verify(control, READ).allowed()).isTrue();

            header.put(name, value);
            String token = TestTokens.sign(header, claims().build(), TestTokens.signer(TestKeys.ED25519));
            assertThat(rejected(token, ErrorCode.CREDENTIALS_INVALID).message()).contains("refuses");
        }

        @ParameterizedTest
        @ValueSource(strings = {"JWT", "jwt", "at+jwt2", "application/jwt", ""})
        void otherTypesAreRefused(String typ) {
            Map<String, Object> header = TestTokens.header("EdDSA", "ed-1");
            header.put("typ", typ);
            String token = TestTokens.sign(header, claims().build(), TestTokens.signer(TestKeys.ED25519));
            assertThat(rejected(token, ErrorCode.CREDENTIALS_INVALID).message()).contains("at+jwt");
        }

        @Test
        void missingTypeIsRefused() {
            Map<String, Object> header = TestTokens.header("EdDSA", "ed-1");
            header.remove("typ");
            String token = TestTokens.sign(header, claims().build(), TestTokens.signer(TestKeys.ED25519));
            rejected(token, ErrorCode.CREDENTIALS_INVALID);
        }

        @Test
        void oversizedTokenIsRefusedBeforeParsing() {
            TokenVerifier small = builder().maxTokenBytes(600).build();
            String big = TestTokens.ed25519(claims().claim("padding", "p".repeat(600)).build());
            String normal = TestTokens.ed25519(claims().build());

            assertThat(small.verify(normal, READ).allowed()).isTrue();
            assertThat(rejected(small, big, ErrorCode.CREDENTIALS_INVALID).message()).contains("too large");
            // Garbage beyond the limit is "too large", not "malformed": the size check comes first.
            assertThat(rejected("x".repeat(9000), ErrorCode.CREDENTIALS_INVALID).message()).contains("too large");
        }
    }

    @Nested
    class Missing {
        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   ", "\t"})
        void noTokenIsMissingCredentials(String token) {
            MayflyError e = rejected(token, ErrorCode.CREDENTIALS_MISSING);

            assertThat(e.reauthCommand()).isEqualTo("mayfly auth login");
            assertThat(e.toMap()).containsEntry("reauth_env_var", "MAYFLY_TOKEN").containsEntry("retryable", false);
        }
    }

    @Nested
    class Revoked {
        @ParameterizedTest
        @EnumSource(Revocation.Granularity.class)
        void reauthCommandFollowsWhatWasRevoked(Revocation.Granularity granularity) {
            revocation.set(new Revocation(granularity, "leaked in CI log"));
            MayflyError e = rejected(TestTokens.ed25519(claims().build()), ErrorCode.CREDENTIALS_REVOKED);

            String expected = switch (granularity) {
                case TOKEN -> "mayfly auth refresh";
                case SESSION -> "mayfly auth login";
                case TASK, AGENT -> null;
            };
            assertThat(e.reauthCommand()).isEqualTo(expected);
            assertThat(e.retryable()).isFalse();
            assertThat(e.details()).containsEntry("revoked", granularity.wireName())
                    .containsEntry("reason", "leaked in CI log");
            Map<String, Object> wire = e.toMap();
            assertThat(wire).containsKey("reauth_command").containsEntry("reauth_command", expected)
                    .containsEntry("revoked", granularity.wireName())
                    .containsEntry("reauth_env_var", "MAYFLY_TOKEN");
            assertThat(Json.write(e)).contains("\"reauth_command\":" + (expected == null ? "null" : "\"" + expected + "\""));
        }

        @Test
        void reasonIsOmittedWhenNotRecorded() {
            revocation.set(new Revocation(Revocation.Granularity.SESSION, null));
            MayflyError e = rejected(TestTokens.ed25519(claims().build()), ErrorCode.CREDENTIALS_REVOKED);
            assertThat(e.details()).containsOnlyKeys("revoked");
        }

        @Test
        void revokedWinsOverExpiredBecauseItIsPermanent() {
            revocation.set(new Revocation(Revocation.Granularity.TOKEN, null));
            clock.advance(Duration.ofHours(2));
            rejected(TestTokens.ed25519(claims().build()), ErrorCode.CREDENTIALS_REVOKED);
        }

        @Test
        void revocationSourceSeesTheVerifiedClaims() {
            AtomicReference<AccessTokenClaims> seen = new AtomicReference<>();
            TokenVerifier v = builder().revocations(c -> {
                seen.set(c);
                return Optional.empty();
            }).build();
            assertThat(v.verify(TestTokens.ed25519(claims().build()), READ).allowed()).isTrue();
            assertThat(seen.get().sessionId()).isEqualTo("ses-1");
            assertThat(seen.get().jwtId()).isEqualTo("jti-42");
        }

        @Test
        void aFailingRevocationSourceFailsClosed() {
            TokenVerifier v = builder().revocations(c -> {
                throw new IllegalStateException("feed down");
            }).build();
            MayflyError e = rejected(v, TestTokens.ed25519(claims().build()), ErrorCode.UNAVAILABLE);
            assertThat(e.retryAfterMs()).isEqualTo(1000L);
            assertThat(e.message()).doesNotContain("feed down");
        }
    }

    @Nested
    class Scope {
        @Test
        void missingScopesArePermissionDenied() {
            Decision d = verifier.verify(TestTokens.ed25519(claims().build()),
                    List.of("orders:read", "orders:delete", "admin:keys", "orders:delete"));

            MayflyError e = d.error();
            assertThat(e.code()).isEqualTo(ErrorCode.PERMISSION_DENIED);
            assertThat(e.requiredScope()).isEqualTo("orders:read orders:delete admin:keys");
            assertThat(e.missingScopes()).containsExactly("orders:delete", "admin:keys");
            assertThat(e.reauthCommand()).isNull();
            assertThat(e.retryable()).isFalse();
            assertThat(e.toMap()).containsEntry("required_scope", "orders:read orders:delete admin:keys")
                    .containsEntry("missing_scopes", List.of("orders:delete", "admin:keys"))
                    .containsKey("reauth_command");
        }

        @Test
        void allRequiredScopesGrantedIsAllowed() {
            assertThat(verifier.verify(TestTokens.ed25519(claims().build()), List.of("orders:write", "orders:read"))
                    .allowed()).isTrue();
        }

        @Test
        void scopeIsCheckedAfterExpiry() {
            clock.advance(Duration.ofHours(1));
            Decision d = verifier.verify(TestTokens.ed25519(claims().build()), List.of("admin:keys"));
            assertThat(d.error().code()).isEqualTo(ErrorCode.CREDENTIALS_EXPIRED);
        }
    }

    @Nested
    class Keys {
        @Test
        void aKeySourceThatCannotAnswerMakesTheVerifierUnavailableNotInvalid() {
            TokenVerifier v = builder().jwks(new JwksSource() {
                @Override
                java.util.Optional<com.nimbusds.jose.jwk.JWK> key(String kid) {
                    throw new MayflyException(ErrorCode.UNAVAILABLE, "The issuer's signing keys could not be fetched yet.");
                }
            }).build();
            MayflyError e = rejected(v, TestTokens.ed25519(claims().build()), ErrorCode.UNAVAILABLE);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfterMs()).isNotNull();
        }
    }

    @Nested
    class Configuration {
        @ParameterizedTest
        @ValueSource(strings = {"none", "HS256", "HS384", "HS512", "hs256"})
        void noneAndHmacAreRefusedAtBuild(String alg) {
            assertThatThrownBy(() -> builder().algorithms("EdDSA", alg).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never accepted");
        }

        @Test
        void unsupportedAlgorithmIsRefusedAtBuild() {
            assertThatThrownBy(() -> builder().algorithms("ES256").build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported");
            assertThatThrownBy(() -> builder().algorithms().build()).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void requiredSettings() {
            assertThatThrownBy(() -> TokenVerifier.builder().audience(AUDIENCE).jwks(JwksSource.ofJson(() -> published.get().toString())).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer");
            assertThatThrownBy(() -> TokenVerifier.builder().issuer(ISSUER).audience(AUDIENCE).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("jwks");
            assertThatThrownBy(() -> TokenVerifier.builder().issuer(ISSUER).jwks(JwksSource.ofJson(() -> published.get().toString())).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience");
            assertThatThrownBy(() -> builder().leeway(Duration.ofSeconds(-1)).build())
                    .isInstanceOf(IllegalStateException.class);
        }

        @Test
        void onlyConfiguredAlgorithmsAreAccepted() {
            TokenVerifier edOnly = builder().algorithms("EdDSA").build();
            assertThat(edOnly.verify(TestTokens.ed25519(claims().build()), READ).allowed()).isTrue();
            assertThat(rejected(edOnly, TestTokens.rs256(claims().build()), ErrorCode.CREDENTIALS_INVALID).message())
                    .contains("algorithm");
        }
    }
}

package dev.mayfly.verifier;

import dev.mayfly.core.revocation.RevocationSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies Mayfly access tokens (RFC 9068 JWTs) offline against a JWKS and turns every rejection into the
 * catalog error an agent can act on (DESIGN §3.1). Thread-safe; build once and share.
 *
 * <p>The checks follow RFC 9068 §4 and the JWT BCP (RFC 8725 §3), in this order: presence and size, JWS
 * structure and header ({@code alg} on the allow-list, {@code typ} {@code at+jwt}, no {@code jku},
 * {@code x5u}, {@code jwk}, {@code x5c}, {@code crit}, {@code cty}, {@code zip}, a {@code kid}), the key
 * and its fit to the algorithm, the signature, {@code iss}, {@code aud}, well-formed numeric dates, the
 * required claims, {@code nbf}, {@code iat} not in the future, revocation, {@code exp}, and finally the
 * required scopes. Expiry is reported only for a token whose signature
 * verified, so a forged token is never mistaken for a stale one.
 *
 * <pre>
 * TokenVerifier verifier = TokenVerifier.builder()
 *     .issuer("https://broker.example")
 *     .audience("https://api.example")
 *     .jwks(JwksSource.remote(URI.create("https://broker.example/jwks.json")))
 *     .build();
 * Decision d = verifier.verify(BearerTokens.fromAuthorizationHeader(header), Set.of("orders:read"));
 * </pre>
 */
public interface TokenVerifier {

    /**
     * Verifies a presented token and checks it grants every required scope.
     *
     * @param token          the raw token (no {@code Bearer } prefix), or {@code null} when none was presented
     * @param requiredScopes scopes the caller needs; empty for "any authentic token"
     */
    Decision verify(String token, Collection<String> requiredScopes);

    /**
     * Verifies a token presented as {@code Authorization: DPoP <token>} with its proof (RFC 9449 §7.1): the
     * proof must pass every check of §4.3 for this method and URI, carry {@code ath} (the token's SHA-256), and
     * be signed by the key the token is bound to ({@code cnf.jkt}); then the token is verified as by
     * {@link #verify(String, Collection)}. A token that is not DPoP-bound is refused here: it is a Bearer token.
     * Rejections of this presentation carry the details a {@code WWW-Authenticate: DPoP} challenge needs
     * ({@link AuthFailureResponse} renders it).
     *
     * @param proof  the {@code DPoP} header's value, or {@code null} when absent
     * @param method the request method
     * @param uri    the absolute request URI as the client addressed it (query and fragment are ignored)
     */
    Decision verify(String token, String proof, String method, String uri, Collection<String> requiredScopes);

    /**
     * Verifies a token handed over as data rather than used as a credential: every check of
     * {@link #verify(String, Collection)} except sender constraint, so a DPoP-bound token is accepted without a
     * proof. For an authorization server's introspection (RFC 7662), revocation (RFC 7009) and leak reports,
     * where whoever holds a copy may ask about it or have it revoked; never for authorising a request.
     */
    Decision verifyIgnoringBinding(String token, Collection<String> requiredScopes);

    /**
     * Verifies the credential of one request from its {@code Authorization} and {@code DPoP} headers: a
     * {@code Bearer} token as {@link #verify(String, Collection)} (a DPoP-bound one is refused: no downgrade),
     * a {@code DPoP} token as {@link #verify(String, String, String, String, Collection)}.
     *
     * @param dpopHeaders every {@code DPoP} header value of the request (more than one is refused)
     */
    default Decision verifyRequest(String authorization, List<String> dpopHeaders, String method, String uri,
                                   Collection<String> requiredScopes) {
        String dpopToken = DpopTokens.fromAuthorizationHeader(authorization);
        if (dpopToken == null) {
            return verify(BearerTokens.fromAuthorizationHeader(authorization), requiredScopes);
        }
        if (dpopHeaders != null && dpopHeaders.size() > 1) {
            return Decision.reject(DpopTokens.tagged(DpopFailure.MULTIPLE.error()).build());
        }
        String proof = dpopHeaders == null || dpopHeaders.isEmpty() ? null : dpopHeaders.get(0);
        return verify(dpopToken, proof, method, uri, requiredScopes);
    }

    static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link TokenVerifier}. Not thread-safe. */
    final class Builder {
        String issuer;
        final Set<String> audiences = new LinkedHashSet<>();
        boolean anyAudience;
        JwksSource jwks;
        Clock clock = Clock.systemUTC();
        Duration leeway = Duration.ofSeconds(30);
        RevocationSource revocations = RevocationSource.NONE;
        int maxTokenBytes = 8 * 1024;
        final Set<String> algorithms = new LinkedHashSet<>(List.of("EdDSA", "RS256"));
        long verificationCacheSize = 100_000;
        DpopProofVerifier dpop;

        Builder() {
        }

        /** The only issuer accepted ({@code iss} must equal it exactly). Required. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer);
            return this;
        }

        /** An accepted audience; a token must name at least one accepted audience in {@code aud}. */
        public Builder audience(String... audiences) {
            this.audiences.addAll(List.of(audiences));
            return this;
        }

        /** Accepts a token whatever its audience (the broker's {@code /v1/whoami} does this). */
        public Builder anyAudience() {
            this.anyAudience = true;
            return this;
        }

        /** Where the issuer's public keys come from. Required. */
        public Builder jwks(JwksSource jwks) {
            this.jwks = Objects.requireNonNull(jwks);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Tolerance for clock skew on {@code exp} and {@code nbf}; default 30 s. */
        public Builder leeway(Duration leeway) {
            this.leeway = Objects.requireNonNull(leeway);
            return this;
        }

        public Builder revocations(RevocationSource revocations) {
            this.revocations = Objects.requireNonNull(revocations);
            return this;
        }

        /** Tokens longer than this are rejected before parsing; default 8 KiB. */
        public Builder maxTokenBytes(int maxTokenBytes) {
            this.maxTokenBytes = maxTokenBytes;
            return this;
        }

        /**
         * The JWS algorithms accepted (RFC 7518 §3.1 names); default {@code EdDSA} and {@code RS256}. Supported:
         * {@code EdDSA}, {@code Ed25519}, {@code RS256/384/512}, {@code PS256/384/512}. {@code none} and the
         * HMAC family are never accepted: {@link #build()} refuses them (RFC 8725 §3.1, §3.2).
         */
        public Builder algorithms(String... algorithms) {
            this.algorithms.clear();
            this.algorithms.addAll(List.of(algorithms));
            return this;
        }

        /**
         * How many signature-verified tokens to remember, so that a token seen again skips parsing and
         * signature work (its time, revocation and scope checks still run on every call); default 100 000,
         * {@code 0} disables the cache. Entries leave the cache when their token expires.
         */
        public Builder verificationCacheSize(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("verificationCacheSize must not be negative");
            }
            this.verificationCacheSize = entries;
            return this;
        }

        /**
         * How DPoP proofs are checked (window, algorithms, nonces, replay cache); by default a
         * {@link DpopProofVerifier} on this builder's clock with its own defaults.
         */
        public Builder dpop(DpopProofVerifier proofs) {
            this.dpop = Objects.requireNonNull(proofs);
            return this;
        }

        /**
         * @throws IllegalStateException    when a required setting is missing or out of range
         * @throws IllegalArgumentException when an algorithm is unsupported, {@code none} or HMAC
         */
        public TokenVerifier build() {
            if (issuer == null) {
                throw new IllegalStateException("issuer is required");
            }
            if (jwks == null) {
                throw new IllegalStateException("jwks is required");
            }
            if (audiences.isEmpty() && !anyAudience) {
                throw new IllegalStateException("set at least one audience, or anyAudience()");
            }
            if (leeway.isNegative()) {
                throw new IllegalStateException("leeway must not be negative");
            }
            if (maxTokenBytes <= 0) {
                throw new IllegalStateException("maxTokenBytes must be positive");
            }
            return new JwtTokenVerifier(this);
        }
    }
}

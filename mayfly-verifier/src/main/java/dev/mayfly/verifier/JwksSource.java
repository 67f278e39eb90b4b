package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a verifier finds the issuer's public keys (RFC 7517 JWK Set) by {@code kid} (RFC 7515 §4.1.4).
 * Implementations are thread-safe. An implementation that cannot answer at all (no keys yet, the issuer
 * unreachable) throws a {@link dev.mayfly.core.error.MayflyException}; the verifier then rejects with
 * {@code UNAVAILABLE} rather than calling the token invalid.
 */
public interface JwksSource {

    /**
     * The public key with this {@code kid}, or empty when the issuer does not (or no longer) publish it.
     * A remote source re-fetches the set on an unknown {@code kid}, at most once per its minimum interval.
     */
    Optional<JWK> key(String kid);

    /** Keys from a supplier, asked on every lookup: for the broker's own in-process key ring. */
    static JwksSource of(Supplier<JWKSet> keys) {
        return kid -> Optional.ofNullable(keys.get().getKeyByKeyId(kid)).map(JWK::toPublicJWK);
    }

    /** Keys fetched from a JWKS URL over HTTP, cached, re-fetched on an unknown {@code kid} (rate-limited). */
    static JwksSource remote(URI jwksUri) {
        return remote(jwksUri, Clock.systemUTC());
    }

    /** As {@link #remote(URI)}, with time from {@code clock}; cache TTL 5 min, minimum re-fetch interval 10 s. */
    static JwksSource remote(URI jwksUri, Clock clock) {
        return new RemoteJwksSource(jwksUri, clock);
    }

    /**
     * Keys fetched from a JWKS URL over HTTP (5 s connect and read timeouts, no redirects).
     *
     * @param cacheTtl           how long a fetched set is used before it is fetched again (default 5 min)
     * @param minRefetchInterval the least time between two fetches, however many unknown {@code kid}s arrive
     *                           (default 10 s); also how often a failed fetch is retried
     */
    static JwksSource remote(URI jwksUri, Clock clock, Duration cacheTtl, Duration minRefetchInterval) {
        return new RemoteJwksSource(jwksUri, clock, cacheTtl, minRefetchInterval, null);
    }

    /** As {@link #remote(URI, Clock, Duration, Duration)}, over https trusted by {@code sslContext} (a private CA). */
    static JwksSource remote(URI jwksUri, Clock clock, Duration cacheTtl, Duration minRefetchInterval,
                             javax.net.ssl.SSLContext sslContext) {
        return new RemoteJwksSource(jwksUri, clock, cacheTtl, minRefetchInterval,
                java.util.Objects.requireNonNull(sslContext, "sslContext"));
    }
}

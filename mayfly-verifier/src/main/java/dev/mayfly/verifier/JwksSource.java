package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Where a verifier finds the issuer's public keys (RFC 7517 JWK Set) by {@code kid} (RFC 7515 §4.1.4): a
 * remote {@code jwks_uri}, or a JWK Set document held in-process. Made only by the factories here, so no JOSE
 * library type is part of this API. Implementations are thread-safe. A source that cannot answer at all (no
 * keys yet, the issuer unreachable) makes the verifier reject with {@code UNAVAILABLE} rather than call the
 * token invalid.
 */
public abstract class JwksSource {

    JwksSource() {
    }

    /**
     * The public key with this {@code kid}, or empty when the issuer does not (or no longer) publish it.
     *
     * @throws dev.mayfly.core.error.MayflyException when no key set can be had at all
     */
    abstract Optional<JWK> key(String kid);

    /**
     * Keys from a JWK Set JSON document (RFC 7517 §5), asked for on every lookup and parsed again only when it
     * changes: for an issuer in the same process, such as the broker's own key ring. Private members in the
     * document are ignored; only public keys are used.
     */
    public static JwksSource ofJson(Supplier<String> jwkSetJson) {
        return new InProcessJwksSource(Objects.requireNonNull(jwkSetJson, "jwkSetJson"));
    }

    /** Keys fetched from a JWKS URL over HTTP, cached, re-fetched on an unknown {@code kid} (rate-limited). */
    public static JwksSource remote(URI jwksUri) {
        return remote(jwksUri, Clock.systemUTC());
    }

    /** As {@link #remote(URI)}, with time from {@code clock}; cache TTL 5 min, minimum re-fetch interval 10 s. */
    public static JwksSource remote(URI jwksUri, Clock clock) {
        return new RemoteJwksSource(jwksUri, clock);
    }

    /**
     * Keys fetched from a JWKS URL over HTTP (5 s connect and read timeouts, no redirects).
     *
     * @param cacheTtl           how long a fetched set is used before it is fetched again (default 5 min)
     * @param minRefetchInterval the least time between two fetches, however many unknown {@code kid}s arrive
     *                           (default 10 s); also how often a failed fetch is retried
     */
    public static JwksSource remote(URI jwksUri, Clock clock, Duration cacheTtl, Duration minRefetchInterval) {
        return new RemoteJwksSource(jwksUri, clock, cacheTtl, minRefetchInterval, null);
    }

    /** As {@link #remote(URI, Clock, Duration, Duration)}, over https trusted by {@code sslContext} (a private CA). */
    public static JwksSource remote(URI jwksUri, Clock clock, Duration cacheTtl, Duration minRefetchInterval,
                                    SSLContext sslContext) {
        return new RemoteJwksSource(jwksUri, clock, cacheTtl, minRefetchInterval,
                Objects.requireNonNull(sslContext, "sslContext"));
    }
}

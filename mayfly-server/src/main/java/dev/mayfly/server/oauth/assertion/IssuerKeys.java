package dev.mayfly.server.oauth.assertion;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.http.BoundedBody;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The signing keys of the external OIDC issuers that agents trust, found by OpenID Connect Discovery
 * ({@code ISSUER/.well-known/openid-configuration} → {@code jwks_uri}, OIDC Discovery §4) and cached per issuer:
 *
 * <ul>
 *   <li>fetched on first use and again once older than the cache TTL (5 min);</li>
 *   <li>an unknown {@code kid} makes a re-fetch (the issuer may have rotated), at most once per minimum interval
 *       (10 s) per issuer, so assertions with made-up key ids cannot make the broker hammer an issuer;</li>
 *   <li>a failed fetch keeps the keys held; with none held, or when a key is unknown and the re-fetch failed,
 *       the answer is {@code UNAVAILABLE} (retryable): the issuer being down says nothing about the assertion.</li>
 * </ul>
 *
 * The discovery document must name the issuer it was fetched for (OIDC Discovery §4.3). Redirects are not
 * followed; bodies are capped at 512 KiB; times come from the injected clock. Thread-safe: one fetch at a time
 * per issuer.
 */
public final class IssuerKeys {
    static final Duration CACHE_TTL = Duration.ofMinutes(5);
    static final Duration MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BYTES = 512 * 1024;
    private static final System.Logger LOG = System.getLogger(IssuerKeys.class.getName());

    private final Clock clock;
    private final HttpClient http;
    private final ConcurrentHashMap<String, Issuer> issuers = new ConcurrentHashMap<>();

    public IssuerKeys(Clock clock) {
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * The key {@code kid} of {@code issuer}, or empty when the issuer does not publish it (after a re-fetch when
     * one was allowed).
     *
     * @throws MayflyException {@code UNAVAILABLE} when the issuer's keys cannot be had
     */
    Optional<JWK> key(String issuer, String kid) {
        return issuers.computeIfAbsent(issuer, Issuer::new).key(kid);
    }

    /** Fetches made so far for {@code issuer}, successful or not; for tests and metrics. */
    long fetches(String issuer) {
        Issuer i = issuers.get(issuer);
        return i == null ? 0 : i.attempts;
    }

    private final class Issuer {
        private final String issuer;
        private Map<String, JWK> keys;
        private Instant fetchedAt;
        private Instant lastAttempt;
        private boolean lastFailed;
        private volatile long attempts;

        Issuer(String issuer) {
            this.issuer = issuer;
        }

        /** A lock, not {@code synchronized}: a fetch blocks on the network, which would pin a virtual thread's carrier. */
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

        Optional<JWK> key(String kid) {
            lock.lock();
            try {
                return keyLocked(kid);
            } finally {
                lock.unlock();
            }
        }

        private Optional<JWK> keyLocked(String kid) {
            Instant now = clock.instant();
            if (keys == null || !now.isBefore(fetchedAt.plus(CACHE_TTL))) {
                fetchIfAllowed(now);
            }
            if (keys == null) {
                throw unavailable();
            }
            JWK key = kid == null ? onlyKey() : keys.get(kid);
            if (key == null && fetchIfAllowed(now)) {
                key = kid == null ? onlyKey() : keys.get(kid);
            }
            if (key == null && lastFailed) {
                throw unavailable();
            }
            return Optional.ofNullable(key);
        }

        /** RFC 7515 makes {@code kid} optional: without one, a set of exactly one key names it. */
        private JWK onlyKey() {
            return keys.size() == 1 ? keys.values().iterator().next() : null;
        }

        /** Fetches unless the last attempt was too recent; true when it fetched (either way). */
        private boolean fetchIfAllowed(Instant now) {
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(MIN_REFETCH_INTERVAL))) {
                return false;
            }
            lastAttempt = now;
            attempts++;
            try {
                keys = fetch();
                fetchedAt = now;
                lastFailed = false;
            } catch (IOException | java.text.ParseException | RuntimeException e) {
                lastFailed = true;
                LOG.log(System.Logger.Level.WARNING, "Keys of federated issuer {0} could not be fetched ({1}); "
                        + "keeping {2} cached key(s)", issuer, e.getClass().getSimpleName(), keys == null ? 0 : keys.size());
            }
            return true;
        }

        private Map<String, JWK> fetch() throws IOException, java.text.ParseException {
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            JsonNode discovery = Json.mapper().readTree(get(URI.create(base + "/.well-known/openid-configuration")));
            if (!issuer.equals(discovery.path("issuer").asText(null))) {
                throw new IOException("discovery document names another issuer");
            }
            String jwksUri = discovery.path("jwks_uri").asText(null);
            if (jwksUri == null) {
                throw new IOException("discovery document has no jwks_uri");
            }
            URI uri = URI.create(jwksUri);
            if (!IssuerUrls.isAcceptable(uri)) {
                throw new IOException("jwks_uri is neither https nor http on loopback");
            }
            Map<String, JWK> byKid = new LinkedHashMap<>();
            for (JWK key : JWKSet.parse(get(uri)).toPublicJWKSet().getKeys()) {
                boolean signing = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
                if (signing) {
                    byKid.putIfAbsent(key.getKeyID() == null ? "" : key.getKeyID(), key);
                }
            }
            return byKid;
        }

        private String get(URI uri) throws IOException {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json").GET().build();
            HttpResponse<byte[]> response;
            try {
                response = http.send(request, BoundedBody.handler(MAX_BYTES));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return new String(response.body(), StandardCharsets.UTF_8);
        }

        private MayflyException unavailable() {
            return new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                            "The federated issuer's signing keys cannot be fetched now; try again shortly.")
                    .retryAfterMs(MIN_REFETCH_INTERVAL.toMillis())
                    .build());
        }
    }
}

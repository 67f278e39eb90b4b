package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.http.BoundedBody;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A JWK Set (RFC 7517 §5) fetched over HTTP from the issuer's {@code jwks_uri} (RFC 8414 §2), cached and
 * kept fresh:
 *
 * <ul>
 *   <li>the set is fetched on first use and again once it is older than the cache TTL;</li>
 *   <li>an unknown {@code kid} triggers a re-fetch (the issuer may have rotated keys), at most once per
 *       minimum interval, so tokens with made-up key ids cannot make the verifier hammer the issuer;</li>
 *   <li>a failed fetch keeps the keys already held: verification survives an issuer outage;</li>
 *   <li>fetches are single-flight: concurrent callers share one fetch; a caller that only found the set
 *       stale does not wait for another caller's fetch and uses the keys it has.</li>
 * </ul>
 *
 * <p>Before the first successful fetch, {@link #key} throws a {@link MayflyException} with
 * {@link ErrorCode#UNAVAILABLE}. Redirects are not followed. All times come from the injected clock.
 * Thread-safe.
 */
final class RemoteJwksSource extends JwksSource {
    static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration DEFAULT_MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_BYTES = 512 * 1024;

    private static final System.Logger LOG = System.getLogger(RemoteJwksSource.class.getName());

    private final URI uri;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Duration minRefetchInterval;
    private final HttpClient http;
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final AtomicLong attempts = new AtomicLong();
    /** Fetches finished (either way); a caller that saw this change while it waited uses that fetch's result. */
    private final AtomicLong finished = new AtomicLong();
    private volatile KeySnapshot keys;
    private volatile Instant lastAttempt;

    RemoteJwksSource(URI uri, Clock clock) {
        this(uri, clock, DEFAULT_CACHE_TTL, DEFAULT_MIN_REFETCH_INTERVAL);
    }

    RemoteJwksSource(URI uri, Clock clock, Duration cacheTtl, Duration minRefetchInterval) {
        this(uri, clock, cacheTtl, minRefetchInterval, null);
    }

    /** {@code sslContext}: the trust for https, or null for the JDK's default. */
    RemoteJwksSource(URI uri, Clock clock, Duration cacheTtl, Duration minRefetchInterval,
                     javax.net.ssl.SSLContext sslContext) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cacheTtl = positive(cacheTtl, "cacheTtl");
        this.minRefetchInterval = positive(minRefetchInterval, "minRefetchInterval");
        String scheme = uri.getScheme();
        if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("JWKS URI must be http or https");
        }
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (sslContext != null) {
            http.sslContext(sslContext);
        }
        this.http = http.build();
    }

    @Override
    Optional<JWK> key(String kid) {
        Objects.requireNonNull(kid, "kid");
        KeySnapshot current = keys;
        if (current == null) {
            current = fetchIfDue(true);
            if (current == null) {
                throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                        "The issuer's signing keys could not be fetched yet.").retryAfterMs(1_000).build());
            }
        } else if (!clock.instant().isBefore(current.fetchedAt().plus(cacheTtl))) {
            current = fetchIfDue(false);
        }
        JWK key = current.find(kid);
        if (key == null) {
            current = fetchIfDue(true);
            key = current.find(kid);
        }
        return Optional.ofNullable(key);
    }

    /**
     * Fetches unless the last attempt (successful or not) is more recent than the minimum interval, or
     * another caller fetched while this one waited. Returns the newest keys held afterwards ({@code null}
     * only before any fetch succeeded).
     *
     * @param wait whether to wait for a fetch already in flight (and use its result) rather than return the
     *             keys held now
     */
    private KeySnapshot fetchIfDue(boolean wait) {
        long seen = finished.get();
        if (wait) {
            if (!refetchAllowed() && !fetchLock.isLocked()) {
                return keys; // rate-limited, and no fetch in flight whose result is worth waiting for
            }
            fetchLock.lock();
        } else if (!refetchAllowed() || !fetchLock.tryLock()) {
            return keys;
        }
        try {
            if (finished.get() != seen || !refetchAllowed()) {
                return keys;
            }
            attempts.incrementAndGet();
            lastAttempt = clock.instant();
            try {
                keys = KeySnapshot.of(fetch(), clock.instant());
            } catch (IOException | ParseException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "JWKS fetch from {0} failed ({1}); keeping {2} cached key(s)",
                        uri, e.getClass().getSimpleName(), keys == null ? 0 : keys.keys().size());
            } finally {
                finished.incrementAndGet();
            }
            return keys;
        } finally {
            fetchLock.unlock();
        }
    }

    private boolean refetchAllowed() {
        Instant last = lastAttempt;
        return last == null || !clock.instant().isBefore(last.plus(minRefetchInterval));
    }

    private JWKSet fetch() throws IOException, ParseException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Accept", "application/jwk-set+json, application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, BoundedBody.handler(MAX_BYTES));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(TIMEOUT.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new IOException("timed out", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return JWKSet.parse(new String(response.body(), StandardCharsets.UTF_8));
    }

    /** Fetch attempts so far (successful or not). */
    long attempts() {
        return attempts.get();
    }

    /** Callers waiting for a fetch in flight; for tests of single-flight behaviour. */
    int waitingForFetch() {
        return fetchLock.getQueueLength();
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    @Override
    public String toString() {
        return "RemoteJwksSource[" + uri + "]";
    }
}

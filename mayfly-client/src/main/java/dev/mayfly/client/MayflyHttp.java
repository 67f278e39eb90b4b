package dev.mayfly.client;

import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.http.BoundedBody;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The transport for calls to the broker (and, for {@code mayfly http}, to services): one lazily built JDK
 * client speaking HTTP/1.1 and never following redirects (two in fact, one for plain HTTP that never sets up TLS
 * and one for https: {@link SchemeRoutedHttpClient}), so a bearer token never follows a redirect to
 * another host; bodies read up to a bound; transport failures as catalog errors ({@code UNAVAILABLE},
 * {@code TIMEOUT}, {@code PRECONDITION} for TLS) whose message names the origin, never the request.
 * {@link #v1(String)} gives Mayfly's {@code /v1} envelope API on top. Thread-safe.
 */
public final class MayflyHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Duration requestTimeout;
    private final SSLContext tls;
    private final String tlsHint;
    private final Clock clock;
    private final int maxBodyBytes;
    private final java.util.function.Function<String, java.util.Optional<DpopKey>> dpopKeys;
    private volatile HttpClient client;

    private MayflyHttp(Builder b) {
        this.dpopKeys = b.dpopKeys;
        this.requestTimeout = b.requestTimeout;
        this.tls = b.tls;
        this.tlsHint = b.tlsHint;
        this.clock = b.clock;
        this.maxBodyBytes = b.maxBodyBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** The clock error answers are read on (a sent token's exp, a Retry-After date). */
    public Clock clock() {
        return clock;
    }

    /** The JDK client (built once): also what an {@link OAuthClient} over the same trust sends with. */
    public HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    // TLS is set up only once an https URL is called: a plain-HTTP broker never pays for it.
                    client = new SchemeRoutedHttpClient(() -> HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(CONNECT_TIMEOUT), tls);
                }
                c = client;
            }
        }
        return c;
    }

    /** Mayfly's {@code /v1} API at {@code base} (the broker's URL), over this transport. */
    /**
     * Puts {@code token} on {@code request} for {@code method} and {@code uri}: as {@code Authorization: Bearer},
     * or, for a DPoP-bound token ({@code cnf.jkt}) whose key this transport holds ({@link Builder#dpopKeys}), as
     * {@code Authorization: DPoP} with a fresh proof for this method and URI (RFC 9449 §7.1).
     */
    public HttpRequest.Builder authorize(HttpRequest.Builder request, String method, URI uri,
                                         dev.mayfly.core.secret.Secret token) {
        String jkt = UnverifiedJwt.read(token.reveal()).map(UnverifiedJwt::boundKey).orElse(null);
        java.util.Optional<DpopKey> key = jkt == null ? java.util.Optional.empty()
                : dpopKeys.apply(jkt).filter(k -> k.thumbprint().equals(jkt));
        if (key.isEmpty()) {
            return request.header("Authorization", "Bearer " + token.reveal());
        }
        return request.header("Authorization", "DPoP " + token.reveal())
                .header("DPoP", key.get().proof(method, uri, token.reveal(), null, clock.instant()));
    }

    public V1Api v1(String base) {
        return new V1Api(this, List.of(base));
    }

    /** Mayfly's {@code /v1} API across several nodes of one broker (their URLs), failing over as {@link V1Api} says. */
    public V1Api v1(List<String> bases) {
        return new V1Api(this, bases);
    }

    /** Sends a request with the default deadline. */
    public HttpReply send(HttpRequest.Builder request) {
        return send(request, requestTimeout);
    }

    /**
     * Sends a request and reads the whole answer, up to the body bound: a longer body is not buffered but
     * refused ({@code INTERNAL}, naming the origin and the bound).
     */
    public HttpReply send(HttpRequest.Builder request, Duration timeout) {
        HttpRequest r = request.timeout(timeout).build();
        try {
            HttpResponse<byte[]> response = client().send(r, BoundedBody.handler(maxBodyBytes));
            return new HttpReply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("response body exceeds")) {
                throw new MayflyException(MayflyError.of(ErrorCode.INTERNAL, "The answer from " + origin(r.uri())
                        + " is longer than " + maxBodyBytes + " bytes; it was not read."), e);
            }
            throw BrokerErrors.transportFailure(r.uri(), e, tlsHint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + origin(r.uri()) + ".");
        }
    }

    /** Opens a streaming response (server-sent events): no overall deadline, the caller reads until it ends. */
    public HttpResponse<InputStream> stream(HttpRequest.Builder request) {
        HttpRequest r = request.build();
        try {
            return client().send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw BrokerErrors.transportFailure(r.uri(), e, tlsHint);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + origin(r.uri()) + ".");
        }
    }

    private static String origin(URI u) {
        return u.getScheme() + "://" + u.getAuthority();
    }

    /** Builder for {@link MayflyHttp}. Not thread-safe. */
    public static final class Builder {
        private Duration requestTimeout = Duration.ofSeconds(30);
        private SSLContext tls;
        private String tlsHint;
        private Clock clock = Clock.systemUTC();
        private int maxBodyBytes = 16 * 1024 * 1024;
        private java.util.function.Function<String, java.util.Optional<DpopKey>> dpopKeys = jkt -> java.util.Optional.empty();

        private Builder() {
        }

        /** The deadline of a request sent without one (default 30 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
            return this;
        }

        /** The trust for https URLs (default: the JDK's). */
        public Builder sslContext(SSLContext tls) {
            this.tls = tls;
            return this;
        }

        /** A sentence added to a failed TLS handshake's error (e.g. which variable names a private CA). */
        public Builder tlsHint(String tlsHint) {
            this.tlsHint = tlsHint;
            return this;
        }

        /**
         * Where the DPoP key of a bound token is found, by its {@code cnf.jkt} thumbprint (the CLI looks in its
         * credential cache); by default none is, and tokens are sent as Bearer.
         */
        public Builder dpopKeys(java.util.function.Function<String, java.util.Optional<DpopKey>> byThumbprint) {
            this.dpopKeys = java.util.Objects.requireNonNull(byThumbprint);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The longest body {@link #send} reads (default 16 MiB). */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes <= 0) {
                throw new IllegalArgumentException("maxBodyBytes must be positive");
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        public MayflyHttp build() {
            return new MayflyHttp(this);
        }
    }
}

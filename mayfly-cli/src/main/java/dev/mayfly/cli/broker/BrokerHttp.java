package dev.mayfly.cli.broker;

import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * HTTP for the CLI: one lazily built JDK client (HTTP/1.1, no redirects, so a bearer token never follows a
 * redirect to another host), transport failures turned into catalog errors ({@code UNAVAILABLE},
 * {@code TIMEOUT}) whose message names the host, never the request. Thread-safe.
 */
public final class BrokerHttp {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Duration requestTimeout;
    private final SSLContext tls;
    private final Clock clock;
    private volatile HttpClient client;

    /** The JDK's default trust, errors read on the system clock (for tests of one component). */
    public BrokerHttp(Duration requestTimeout) {
        this(requestTimeout, null, Clock.systemUTC());
    }

    /**
     * @param tls   the trust for https URLs (see {@link CaBundle}), or null for the JDK's default
     * @param clock the clock error answers are read on (a sent token's exp, a Retry-After date)
     */
    public BrokerHttp(Duration requestTimeout, SSLContext tls, Clock clock) {
        this.requestTimeout = requestTimeout;
        this.tls = tls;
        this.clock = clock;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public Clock clock() {
        return clock;
    }

    /** The JDK client (built once): also what the client library's {@code OAuthClient} sends with. */
    public HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    HttpClient.Builder b = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .connectTimeout(CONNECT_TIMEOUT);
                    if (tls != null) {
                        b.sslContext(tls);
                    }
                    client = b.build();
                }
                c = client;
            }
        }
        return c;
    }

    /** Sends a request with the default deadline. */
    public HttpReply send(HttpRequest.Builder request) {
        return send(request, requestTimeout);
    }

    public HttpReply send(HttpRequest.Builder request, Duration timeout) {
        HttpRequest r = request.timeout(timeout).build();
        try {
            HttpResponse<byte[]> response = client().send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new HttpReply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw transportFailure(r, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + origin(r) + ".");
        }
    }

    /** Opens a streaming response (server-sent events): no overall deadline, the caller reads until it ends. */
    public HttpResponse<InputStream> stream(HttpRequest.Builder request) {
        HttpRequest r = request.build();
        try {
            return client().send(r, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transportFailure(r, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + origin(r) + ".");
        }
    }

    static MayflyException transportFailure(HttpRequest r, IOException e) {
        return BrokerErrors.transportFailure(r.uri(), e, CaBundle.TLS_HINT);
    }

    private static String origin(HttpRequest r) {
        return r.uri().getScheme() + "://" + r.uri().getAuthority();
    }
}

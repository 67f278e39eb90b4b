package dev.mayfly.client;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * One {@link HttpClient} in front of two JDK clients built alike, chosen by the request's scheme: {@code https}
 * requests go to a client with the configured trust (the JDK's default when none was given), built on the first
 * such request; everything else to a client that never does TLS. A JDK client initialises its TLS context when it
 * is built, even if it only ever speaks plain HTTP: the default context reads the whole system trust store and
 * works out every cipher suite, about a fifth of a {@code mayfly whoami} against a loopback broker. Plain
 * requests cannot reach TLS here: redirects are never followed ({@link MayflyHttp}), and an {@code https} URL
 * always goes to the TLS client. Thread-safe.
 */
final class SchemeRoutedHttpClient extends HttpClient {
    private final Supplier<HttpClient.Builder> settings;
    private final SSLContext tls;
    private volatile HttpClient plain;
    private volatile HttpClient secure;

    /**
     * @param settings a new builder with every setting but TLS, for each of the two clients
     * @param tls      the trust for https, or {@code null} for the JDK's default
     */
    SchemeRoutedHttpClient(Supplier<HttpClient.Builder> settings, SSLContext tls) {
        this.settings = settings;
        this.tls = tls;
    }

    private HttpClient route(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) ? secure() : plain();
    }

    private HttpClient plain() {
        HttpClient c = plain;
        if (c == null) {
            synchronized (this) {
                if (plain == null) {
                    // Explicit parameters and a context that is never used keep the JDK from initialising TLS.
                    plain = settings.get().sslContext(NoTls.CONTEXT).sslParameters(new SSLParameters()).build();
                }
                c = plain;
            }
        }
        return c;
    }

    private HttpClient secure() {
        HttpClient c = secure;
        if (c == null) {
            synchronized (this) {
                if (secure == null) {
                    HttpClient.Builder b = settings.get();
                    if (tls != null) {
                        b.sslContext(tls);
                    }
                    secure = b.build();
                }
                c = secure;
            }
        }
        return c;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return route(request.uri()).send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return route(request.uri()).sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return route(request.uri()).sendAsync(request, handler, pushPromiseHandler);
    }

    // The settings both clients share, as the plain one reports them.

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return plain().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return plain().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return plain().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return plain().proxy();
    }

    @Override
    public Version version() {
        return plain().version();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return plain().authenticator();
    }

    @Override
    public Optional<Executor> executor() {
        return plain().executor();
    }

    // TLS is the secure client's.

    @Override
    public SSLContext sslContext() {
        return secure().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return secure().sslParameters();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return secure().newWebSocketBuilder();
    }

    /** The plain client's TLS context: never used (see the class comment), and failing loudly if it ever were. */
    private static final class NoTls extends SSLContextSpi {
        static final SSLContext CONTEXT = new SSLContext(new NoTls(), null, "none") {
        };

        private static UnsupportedOperationException unused() {
            return new UnsupportedOperationException("the plain-HTTP client does no TLS");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw unused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw unused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw unused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw unused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw unused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw unused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw unused();
        }
    }
}

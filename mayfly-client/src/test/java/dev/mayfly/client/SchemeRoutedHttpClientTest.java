package dev.mayfly.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MayflyHttp}'s client sets up TLS only for https: a plain-HTTP call never touches the TLS context (the
 * cold start of {@code mayfly whoami} against a loopback broker), an https call uses the configured one.
 */
class SchemeRoutedHttpClientTest {
    private HttpServer plain;
    private ServerSocket notTls;

    @BeforeEach
    void start() throws IOException {
        plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        plain.start();
        // Accepts and closes: a TLS handshake against it fails, after the TLS context was asked for an engine.
        notTls = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(() -> {
            while (!notTls.isClosed()) {
                try (Socket s = notTls.accept()) {
                    s.getOutputStream().write("not tls\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @AfterEach
    void stop() throws IOException {
        plain.stop(0);
        notTls.close();
    }

    @Test
    void plainHttpNeverTouchesTheTlsContextAndHttpsUsesIt() throws Exception {
        CountingTls tls = new CountingTls();
        MayflyHttp http = MayflyHttp.builder().sslContext(tls.context).requestTimeout(Duration.ofSeconds(10)).build();

        HttpReply reply = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plain.getAddress().getPort() + "/x")));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(tls.calls.get()).as("TLS context calls for a plain-HTTP request").isZero();

        URI https = URI.create("https://127.0.0.1:" + notTls.getLocalPort() + "/x");
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(https))).isInstanceOf(MayflyException.class);
        assertThat(tls.calls.get()).as("TLS context calls for an https request").isPositive();
        assertThat(http.client().sslContext()).isSameAs(tls.context);
    }

    @Test
    void theClientReportsTheSettingsOfBoth() {
        MayflyHttp http = MayflyHttp.builder().build();

        assertThat(http.client().version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(http.client().followRedirects()).isEqualTo(java.net.http.HttpClient.Redirect.NEVER);
        assertThat(http.client().connectTimeout()).isPresent();
    }

    /** The JDK's default TLS context behind an SPI that counts every use. */
    private static final class CountingTls extends SSLContextSpi {
        final AtomicInteger calls = new AtomicInteger();
        final SSLContext context = new SSLContext(this, null, "TLS") {
        };

        private SSLContext real() {
            calls.incrementAndGet();
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            calls.incrementAndGet();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return real().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return real().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return real().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return real().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return real().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return real().getClientSessionContext();
        }

        @Override
        protected javax.net.ssl.SSLParameters engineGetDefaultSSLParameters() {
            return real().getDefaultSSLParameters();
        }

        @Override
        protected javax.net.ssl.SSLParameters engineGetSupportedSSLParameters() {
            return real().getSupportedSSLParameters();
        }
    }
}

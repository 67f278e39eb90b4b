package dev.mayfly.server.http;

import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The broker's one listening connector: plain HTTP/1.1, or HTTPS (TLS 1.2 and 1.3 only) from PEM files;
 * with the {@link HttpLimits}: idle timeout, request-header size, a cap on open connections (beyond it
 * Jetty stops accepting until one closes) and the {@link SlowRequestGuard} deadlines.
 */
public final class BrokerConnector {
    private BrokerConnector() {
    }

    /**
     * Adds the connector to {@code server} (not yet open) and sets the server's protocol-error page.
     * {@code tls} is null for plain HTTP.
     */
    public static ServerConnector add(Server server, String host, int port, HttpLimits limits, PemKeyPair tls) {
        HttpConfiguration http = new HttpConfiguration();
        // Jetty caches repeated header values per connection, by default case-insensitively: a token
        // differing from the previous one only in letter case would be read as that previous token.
        http.setHeaderCacheCaseSensitive(true);
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        ServerConnector connector;
        if (tls != null) {
            http.setSecureScheme("https");
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // Clients reach the broker by whatever name its certificate was issued for (often an IP or an
            // internal name); checking SNI against the certificate would refuse them for no security gain.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            connector = new ServerConnector(server, new SslConnectionFactory(sslContextFactory(tls),
                    HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(http));
        } else {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        }
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setErrorHandler(new ProtocolErrors(limits.maxRequestHeaderBytes()));
        return connector;
    }

    /** Wraps the broker's handler in the slow-client deadlines and registers them with the connector. */
    public static SlowRequestGuard guard(ServerConnector connector, HttpLimits limits, org.eclipse.jetty.server.Handler handler) {
        SlowRequestGuard guard = new SlowRequestGuard(limits.requestReadTimeout(), connector.getScheduler(), handler);
        connector.addBean(guard, false); // as a connection listener; the server runs it as a handler
        return guard;
    }

    private static SslContextFactory.Server sslContextFactory(PemKeyPair pair) {
        char[] password = java.util.UUID.randomUUID().toString().toCharArray(); // the store never leaves memory
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(pair.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return ssl;
    }
}

package dev.mayfly.cli.doctor;

import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Credentials travel encrypted. An {@code https} broker URL: a real handshake with hostname verification,
 * and the certificate's remaining life (under {@link #CERT_WARN} days: warn). A plain {@code http} URL
 * passes only on loopback (the broker's default listen address), where nothing crosses a network; the
 * issuer tokens name is held to the same rule, since verifiers fetch keys from it.
 */
final class TlsCheck implements Check {
    static final String ID = "tls";
    static final long CERT_WARN = 14;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        URI uri = URI.create(d.url());
        Evidence e = Evidence.of().with("scheme", uri.getScheme()).with("host", uri.getHost());
        String issuer = null;
        try {
            issuer = d.metadata().get("issuer").asText();
            e.with("issuer", issuer);
        } catch (MayflyException ex) {
            // The metadata check reports it; TLS is judged on the URL alone.
        }
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            return handshake(uri, e, d.clock().instant());
        }
        boolean loopback = loopback(uri.getHost());
        e.with("loopback", loopback);
        if (!loopback) {
            return CheckResult.fail(ID, "The broker is reached over plain HTTP on " + uri.getHost()
                    + ": client secrets and tokens cross the network in clear; terminate TLS in front of it.", e);
        }
        if (issuer != null && issuer.startsWith("http:") && !loopback(URI.create(issuer).getHost())) {
            return CheckResult.fail(ID, "The issuer " + issuer + " is plain HTTP off loopback: verifiers fetch keys from it in clear.", e);
        }
        return CheckResult.pass(ID, "Plain HTTP on loopback: nothing leaves this host (front it with TLS before exposing it).", e);
    }

    private static CheckResult handshake(URI uri, Evidence e, Instant now) {
        int port = uri.getPort() > 0 ? uri.getPort() : 443;
        try (SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault().createSocket()) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(params);
            socket.connect(new InetSocketAddress(uri.getHost(), port), (int) Duration.ofSeconds(5).toMillis());
            socket.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            socket.startHandshake();
            SSLSession session = socket.getSession();
            e.with("protocol", session.getProtocol()).with("cipher", session.getCipherSuite());
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate cert) {
                Instant notAfter = cert.getNotAfter().toInstant();
                long days = Duration.between(now, notAfter).toDays();
                e.with("cert_subject", cert.getSubjectX500Principal().getName()).with("cert_expires_at", notAfter.toString())
                        .with("cert_days_left", days);
                if (days < CERT_WARN) {
                    return CheckResult.warn(ID, "TLS " + session.getProtocol() + ", but the certificate expires in " + days
                            + " days.", e);
                }
            }
            return CheckResult.pass(ID, "TLS " + session.getProtocol() + " with a certificate valid for " + uri.getHost() + ".", e);
        } catch (IOException ex) {
            return CheckResult.fail(ID, "TLS handshake with " + uri.getHost() + ":" + port + " failed ("
                    + ex.getClass().getSimpleName() + "): verifiers and agents cannot trust this broker.", e);
        }
    }

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException ex) {
            return false;
        }
    }
}

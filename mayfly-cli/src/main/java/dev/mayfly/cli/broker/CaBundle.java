package dev.mayfly.cli.broker;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * {@code MAYFLY_CA_FILE}: a PEM bundle of CA certificates to trust besides the JDK's own, for a broker whose
 * certificate comes from a private CA (or is self-signed). Without it the JDK's default trust applies.
 */
public final class CaBundle {
    public static final String ENV = "MAYFLY_CA_FILE";
    /** Appended to a failed TLS handshake's message. */
    public static final String TLS_HINT = "For a private CA set " + ENV + " to its PEM file.";

    private CaBundle() {
    }

    /** The TLS context for {@code env}, or {@code null} (the JDK default) when {@code MAYFLY_CA_FILE} is unset. */
    public static SSLContext fromEnv(Map<String, String> env) {
        String file = env.get(ENV);
        return file == null || file.isBlank() ? null : sslContext(Path.of(file));
    }

    /** An SSL context trusting the JDK's default CAs and every certificate in {@code pemFile}. */
    public static SSLContext sslContext(Path pemFile) {
        Collection<? extends Certificate> certs = read(pemFile);
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (X509Certificate c : defaultTrust().getAcceptedIssuers()) {
                trust.setCertificateEntry("jdk-" + i++, c);
            }
            i = 0;
            for (Certificate c : certs) {
                trust.setCertificateEntry("mayfly-ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new MayflyException(ErrorCode.USAGE, "Cannot trust the certificates in " + ENV + "=" + pemFile
                    + " (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static Collection<? extends Certificate> read(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new MayflyException(ErrorCode.USAGE, ENV + "=" + pemFile
                        + " holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
            }
            return certs;
        } catch (NoSuchFileException e) {
            throw new MayflyException(ErrorCode.NOT_FOUND, ENV + "=" + pemFile + ": no such file.");
        } catch (CertificateException e) {
            throw new MayflyException(ErrorCode.USAGE, ENV + "=" + pemFile + " is not a PEM certificate bundle.");
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + ENV + "=" + pemFile
                    + " (" + e.getClass().getSimpleName() + ").");
        }
    }

    private static X509TrustManager defaultTrust() throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no default X.509 trust manager");
    }
}

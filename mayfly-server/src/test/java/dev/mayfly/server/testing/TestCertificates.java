package dev.mayfly.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * A private CA and server certificates it issued for {@code localhost} / {@code 127.0.0.1}, written as the
 * PEM files an operator would have: the CA certificate (for clients), the server chain (server first, then
 * the CA), and the server's key in each form the broker reads (PKCS#8, PKCS#1 RSA, SEC1 EC as openssl writes
 * it, and encrypted ones it must refuse). Generated with Bouncy Castle, independently of the broker's reader.
 * Validity is real time around now: the TLS stack checks certificates against the real clock.
 */
public final class TestCertificates {
    /** Used only for the encrypted-key fixtures (OpenSSL's key derivation); never installed globally. */
    private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.nanoTime());

    private final Path dir;
    private final X509Certificate ca;
    private final PrivateKey caKey;

    private TestCertificates(Path dir, X509Certificate ca, PrivateKey caKey) {
        this.dir = dir;
        this.ca = ca;
        this.caKey = caKey;
    }

    /** A new CA and an RSA and an EC server identity, written under {@code dir}. */
    public static TestCertificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            KeyPair caKeys = rsa();
            X500Name caName = new X500Name("CN=Mayfly Test CA");
            JcaX509v3CertificateBuilder b = builder(caName, caName, caKeys);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(b, caKeys.getPrivate());
            TestCertificates t = new TestCertificates(dir, ca, caKeys.getPrivate());
            write(dir.resolve("ca.pem"), pem(ca));

            KeyPair rsa = rsa();
            X509Certificate rsaCert = t.issue(rsa);
            write(dir.resolve("rsa-chain.pem"), pem(rsaCert) + pem(ca));
            write(dir.resolve("rsa-key-pkcs8.pem"), pem(new JcaPKCS8Generator(rsa.getPrivate(), null)));
            write(dir.resolve("rsa-key-pkcs1.pem"), pem("RSA PRIVATE KEY", inner(rsa.getPrivate())));
            write(dir.resolve("rsa-key-encrypted-pkcs1.pem"),
                    pem(rsa.getPrivate(), new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC).build("secret".toCharArray())));
            write(dir.resolve("rsa-key-encrypted-pkcs8.pem"), pem(new JcaPKCS8Generator(rsa.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC).setProvider(BC).setPassword("secret".toCharArray()).build())));

            KeyPair ec = ec();
            X509Certificate ecCert = t.issue(ec);
            write(dir.resolve("ec-chain.pem"), pem(ecCert) + pem(ca));
            // As `openssl ecparam -genkey -name prime256v1` writes it: the curve, then the RFC 5915 key.
            write(dir.resolve("ec-key-sec1.pem"), pem("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded())
                    + pem("EC PRIVATE KEY", sec1(ec)));
            return t;
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    public Path rsaChain() {
        return dir.resolve("rsa-chain.pem");
    }

    public Path rsaKey() {
        return dir.resolve("rsa-key-pkcs8.pem");
    }

    public Path file(String name) {
        return dir.resolve(name);
    }

    /** A client context that trusts this CA only. */
    public SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate issue(KeyPair keys) throws GeneralSecurityException, IOException, OperatorCreationException {
        JcaX509v3CertificateBuilder b = builder(X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                new X500Name("CN=localhost"), keys);
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        return sign(b, caKey);
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey issuerKey)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKey)));
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** The key inside a PKCS#8 wrapper: for RSA, the PKCS#1 RSAPrivateKey. */
    private static byte[] inner(PrivateKey key) throws IOException {
        return PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
    }

    /** RFC 5915 ECPrivateKey with the named curve and public key, as openssl writes it. */
    private static byte[] sec1(KeyPair ec) throws IOException {
        ECPrivateKey priv = (ECPrivateKey) ec.getPrivate();
        byte[] pub = SubjectPublicKeyInfo.getInstance(((ECPublicKey) ec.getPublic()).getEncoded()).getPublicKeyData().getBytes();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(256, priv.getS(), new DERBitString(pub),
                SECObjectIdentifiers.secp256r1).getEncoded();
    }

    private static String pem(Object o) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o);
        }
        return s.toString();
    }

    private static String pem(Object o, org.bouncycastle.openssl.PEMEncryptor encryptor) throws IOException {
        StringWriter s = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(s)) {
            w.writeObject(o, encryptor);
        }
        return s.toString();
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter s = new StringWriter();
        try (PemWriter w = new PemWriter(s)) {
            w.writeObject(new PemObject(type, der));
        }
        return s.toString();
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

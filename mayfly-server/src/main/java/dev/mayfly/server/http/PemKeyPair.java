package dev.mayfly.server.http;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS server identity read from PEM files, as openssl, certbot and most CAs write them: a certificate file
 * holding the server certificate first and then any intermediates, and an unencrypted private key in
 * PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or SEC1
 * ({@code BEGIN EC PRIVATE KEY}) form. The JDK reads only PKCS#8, so the other two are wrapped into it
 * (RFC 5208 §5). Every problem is a catalog error naming the file, never a stack trace.
 */
public final class PemKeyPair {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");
    /** id-ecPublicKey (1.2.840.10045.2.1), DER, without the SEQUENCE around it. */
    private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");
    private static final byte[] VERSION_0 = hex("020100");

    private final List<X509Certificate> chain;
    private final PrivateKey key;

    private PemKeyPair(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain;
        this.key = key;
    }

    /** Reads and checks both files: the key must be the certificate's. */
    public static PemKeyPair load(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certificateFile);
        PrivateKey key = privateKey(keyFile);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new MayflyException(ErrorCode.USAGE, "The TLS key in " + keyFile
                    + " does not belong to the first certificate in " + certificateFile
                    + " (the server's certificate must come first, then its intermediates).");
        }
        return new PemKeyPair(chain, key);
    }

    public List<X509Certificate> chain() {
        return chain;
    }

    /** An in-memory key store holding the pair under alias {@code mayfly}, with {@code password}. */
    public KeyStore keyStore(char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("mayfly", key, password, chain.toArray(new Certificate[0]));
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new MayflyException(ErrorCode.USAGE, "The TLS certificate and key cannot be used together ("
                    + e.getClass().getSimpleName() + ").");
        }
    }

    static List<X509Certificate> certificates(Path file) {
        String pem = read(file, "TLS certificate");
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem)) {
                if (b.type().equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
                }
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, file + " holds a certificate that cannot be read (not valid PEM/DER).");
        }
        if (out.isEmpty()) {
            throw new MayflyException(ErrorCode.USAGE, file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
        return List.copyOf(out);
    }

    static PrivateKey privateKey(Path file) {
        String pem = read(file, "TLS key");
        for (Block b : blocks(pem)) {
            switch (b.type()) {
                case "PRIVATE KEY":
                    return pkcs8(b.der(), file);
                case "RSA PRIVATE KEY":
                    refuseEncrypted(b, file);
                    return pkcs8(sequence(VERSION_0, RSA_ALGORITHM, tlv(0x04, b.der())), file);
                case "EC PRIVATE KEY":
                    refuseEncrypted(b, file);
                    byte[] curve = sec1Curve(b.der(), file);
                    return pkcs8(sequence(VERSION_0, sequence(EC_PUBLIC_KEY_OID, curve), tlv(0x04, b.der())), file);
                case "ENCRYPTED PRIVATE KEY":
                    throw encrypted(file);
                default:
                    // EC PARAMETERS, certificates and the like may share the file: skip them
            }
        }
        throw new MayflyException(ErrorCode.USAGE, file + " holds no PEM private key (-----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----).");
    }

    private static PrivateKey pkcs8(byte[] der, Path file) {
        for (String alg : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm: try the next
            }
        }
        throw new MayflyException(ErrorCode.USAGE, file + " holds a private key that cannot be read "
                + "(supported: unencrypted RSA, EC or Ed25519 keys).");
    }

    private static void refuseEncrypted(Block b, Path file) {
        if (b.headers().toUpperCase(Locale.ROOT).contains("ENCRYPTED")) {
            throw encrypted(file);
        }
    }

    private static MayflyException encrypted(Path file) {
        return new MayflyException(ErrorCode.USAGE, file + " holds an encrypted private key; the broker needs it "
                + "unencrypted (decrypt it with: openssl pkey -in KEY -out KEY.plain, and keep that file 0600).");
    }

    /** The named-curve OID (a complete TLV) from an RFC 5915 ECPrivateKey's {@code [0] parameters}. */
    private static byte[] sec1Curve(byte[] der, Path file) {
        try {
            Der seq = Der.at(der, 0);
            int pos = seq.contentStart();
            while (pos < seq.end()) {
                Der field = Der.at(der, pos);
                if (field.tag() == 0xA0) {
                    Der oid = Der.at(der, field.contentStart());
                    if (oid.tag() == 0x06) {
                        return Arrays.copyOfRange(der, oid.start(), oid.end());
                    }
                }
                pos = field.end();
            }
        } catch (IndexOutOfBoundsException e) {
            // fall through to the error below
        }
        throw new MayflyException(ErrorCode.USAGE, file + " holds an EC private key without a named curve; "
                + "convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
    }

    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519" -> "Ed25519";
            default -> null;
        };
        if (alg == null) {
            return true; // nothing to check it with; the handshake will fail if it is wrong
        }
        try {
            byte[] probe = "mayfly-tls-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new MayflyException(ErrorCode.NOT_FOUND, "The " + what + " file " + file + " does not exist.");
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the " + what + " file " + file
                    + " (" + e.getClass().getSimpleName() + ").");
        }
    }

    private record Block(String type, String headers, byte[] der) {
    }

    private static List<Block> blocks(String pem) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2);
            StringBuilder headers = new StringBuilder();
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\r?\n")) {
                if (line.contains(":")) {
                    headers.append(line).append('\n'); // RFC 1421 headers, e.g. Proc-Type: 4,ENCRYPTED
                } else {
                    base64.append(line.strip());
                }
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(base64.toString());
            } catch (IllegalArgumentException e) {
                der = new byte[0];
            }
            out.add(new Block(m.group(1), headers.toString(), der));
        }
        return out;
    }

    private static byte[] sequence(byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        return tlv(0x30, content.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = content.length;
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = n > 0xFFFFFF ? 4 : n > 0xFFFF ? 3 : n > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write((n >>> (8 * i)) & 0xFF);
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** One DER TLV: where it starts, where its content starts, where it ends. */
    private record Der(int tag, int start, int contentStart, int end) {
        static Der at(byte[] der, int pos) {
            int tag = der[pos] & 0xFF;
            int len = der[pos + 1] & 0xFF;
            int content = pos + 2;
            if (len >= 0x80) {
                int bytes = len & 0x7F;
                if (bytes == 0 || bytes > 4) {
                    throw new IndexOutOfBoundsException("unsupported DER length");
                }
                len = 0;
                for (int i = 0; i < bytes; i++) {
                    len = (len << 8) | (der[content + i] & 0xFF);
                }
                content += bytes;
            }
            if (len < 0 || content + len > der.length) {
                throw new IndexOutOfBoundsException("DER length past the end");
            }
            return new Der(tag, pos, content, content + len);
        }
    }
}

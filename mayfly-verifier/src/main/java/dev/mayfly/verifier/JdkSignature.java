package dev.mayfly.verifier;

import com.nimbusds.jose.JWSAlgorithm;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Checks a JWS signature with the JDK's own providers: Ed25519 (RFC 8037 §3.1, RFC 8032 §5.1.7, in the JDK
 * since 15), RSASSA-PKCS1-v1_5 and RSASSA-PSS (RFC 7518 §3.3, §3.5). The JDK already carries all of it, so
 * a resource server needs no crypto library beside it (Nimbus' Ed25519 verifier would bring Tink, 2.7 MB).
 * Immutable and thread-safe: a {@link Signature} object is made per check.
 */
final class JdkSignature {
    /** RFC 8032 §5.1.6: R and S, 32 bytes each. */
    private static final int ED25519_SIGNATURE_BYTES = 64;

    private final PublicKey key;
    private final String jcaName;
    private final AlgorithmParameterSpec params;
    private final int signatureBytes;

    private JdkSignature(PublicKey key, String jcaName, AlgorithmParameterSpec params, int signatureBytes) {
        this.key = key;
        this.jcaName = jcaName;
        this.params = params;
        this.signatureBytes = signatureBytes;
    }

    /** For {@code EdDSA}/{@code Ed25519}: the key's 32-byte RFC 8032 encoding ({@code x} of the OKP JWK). */
    static JdkSignature ed25519(byte[] encodedPoint) throws GeneralSecurityException {
        if (encodedPoint.length != 32) {
            throw new GeneralSecurityException("an Ed25519 public key is 32 bytes");
        }
        // RFC 8032 §5.1.3: little-endian y with the sign of x in the top bit of the last byte.
        boolean xOdd = (encodedPoint[31] & 0x80) != 0;
        byte[] y = new byte[32];
        for (int i = 0; i < 32; i++) {
            y[i] = encodedPoint[31 - i];
        }
        y[0] &= 0x7f;
        EdECPublicKeySpec spec = new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, y)));
        return new JdkSignature(KeyFactory.getInstance("Ed25519").generatePublic(spec), "Ed25519", null,
                ED25519_SIGNATURE_BYTES);
    }

    /** For the RSA family: {@code RS256/384/512} (PKCS #1 v1.5) and {@code PS256/384/512} (PSS, salt = hash length). */
    static JdkSignature rsa(JWSAlgorithm alg, java.security.interfaces.RSAPublicKey key) throws GeneralSecurityException {
        String name = alg.getName();
        String bits = name.substring(2);
        String hash = "SHA-" + bits;
        int modulusBytes = (key.getModulus().bitLength() + 7) / 8; // RFC 8017 §8.1.2, §8.2.2: exactly k octets
        if (name.startsWith("RS")) {
            return new JdkSignature(key, "SHA" + bits + "withRSA", null, modulusBytes);
        }
        if (name.startsWith("PS")) {
            PSSParameterSpec pss = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                    Integer.parseInt(bits) / 8, PSSParameterSpec.TRAILER_FIELD_BC);
            return new JdkSignature(key, "RSASSA-PSS", pss, modulusBytes);
        }
        throw new GeneralSecurityException("not an RSA algorithm: " + name);
    }

    /** Whether {@code signature} is this key's signature of {@code signingInput}; false for any malformed input. */
    boolean verify(byte[] signingInput, byte[] signature) {
        // Checked here, not left to the provider: a provider that reads only the bytes it needs would let
        // one token have many spellings (trailing bytes), which the verification cache must never see.
        if (signature.length != signatureBytes) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(jcaName);
            if (params != null) {
                s.setParameter(params);
            }
            s.initVerify(key);
            s.update(signingInput);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

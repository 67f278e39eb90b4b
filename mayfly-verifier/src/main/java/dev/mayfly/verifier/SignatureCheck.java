package dev.mayfly.verifier;

import com.google.crypto.tink.subtle.Ed25519Verify;
import com.nimbusds.jose.JWSAlgorithm;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

/**
 * Checks a JWS signature over bytes the verifier already split out ({@link CompactJws}), so a token is parsed
 * once: Ed25519 (RFC 8037 §3.1, RFC 8032 §5.1.7) through Tink's {@code Ed25519Verify}, RSASSA-PKCS1-v1_5 and
 * RSASSA-PSS (RFC 7518 §3.3, §3.5) through the JDK's own providers.
 *
 * <p>Why Tink for Ed25519 when the JDK has verified it since 15: on the reference machine the JDK's
 * verification ran at 1,190–1,290/s on JDK 17 and 1,440–1,540/s on JDK 25, against 3,980–5,550/s for Tink in
 * the same runs (BENCHMARKS.md, "Ed25519 verification: Tink or the JDK"). First-sight verification is a
 * resource server's per-token cost, so the 2.7 MB stays. Immutable and thread-safe.
 */
final class SignatureCheck {
    /** RFC 8032 §5.1.6: R and S, 32 bytes each. */
    private static final int ED25519_SIGNATURE_BYTES = 64;

    @FunctionalInterface
    private interface Check {
        boolean verify(byte[] signingInput, byte[] signature) throws GeneralSecurityException;
    }

    private final Check check;
    private final int signatureBytes;

    private SignatureCheck(Check check, int signatureBytes) {
        this.check = check;
        this.signatureBytes = signatureBytes;
    }

    /** For {@code EdDSA}/{@code Ed25519}: the key's 32-byte RFC 8032 encoding ({@code x} of the OKP JWK). */
    static SignatureCheck ed25519(byte[] encodedPoint) throws GeneralSecurityException {
        if (encodedPoint.length != 32) {
            throw new GeneralSecurityException("an Ed25519 public key is 32 bytes");
        }
        Ed25519Verify tink = new Ed25519Verify(encodedPoint);
        return new SignatureCheck((input, signature) -> {
            tink.verify(signature, input); // throws on a bad signature, including S not below the group order
            return true;
        }, ED25519_SIGNATURE_BYTES);
    }

    /** For the RSA family: {@code RS256/384/512} (PKCS #1 v1.5) and {@code PS256/384/512} (PSS, salt = hash length). */
    static SignatureCheck rsa(JWSAlgorithm alg, RSAPublicKey key) throws GeneralSecurityException {
        String name = alg.getName();
        String bits = name.substring(2);
        String hash = "SHA-" + bits;
        int modulusBytes = (key.getModulus().bitLength() + 7) / 8; // RFC 8017 §8.1.2, §8.2.2: exactly k octets
        if (name.startsWith("RS")) {
            return new SignatureCheck(jdk(key, "SHA" + bits + "withRSA", null), modulusBytes);
        }
        if (name.startsWith("PS")) {
            PSSParameterSpec pss = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash),
                    Integer.parseInt(bits) / 8, PSSParameterSpec.TRAILER_FIELD_BC);
            return new SignatureCheck(jdk(key, "RSASSA-PSS", pss), modulusBytes);
        }
        throw new GeneralSecurityException("not an RSA algorithm: " + name);
    }

    /** A JCA check; a {@link Signature} object is made per check, as they are not thread-safe. */
    private static Check jdk(PublicKey key, String jcaName, AlgorithmParameterSpec params) {
        return (input, signature) -> {
            Signature s = Signature.getInstance(jcaName);
            if (params != null) {
                s.setParameter(params);
            }
            s.initVerify(key);
            s.update(input);
            return s.verify(signature);
        };
    }

    /** Whether {@code signature} is this key's signature of {@code signingInput}; false for any malformed input. */
    boolean verify(byte[] signingInput, byte[] signature) {
        // Checked here, not left to the provider: a provider that reads only the bytes it needs would let
        // one token have many spellings (trailing bytes), which the verification cache must never see.
        if (signature.length != signatureBytes) {
            return false;
        }
        try {
            return check.verify(signingInput, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

package dev.mayfly.verifier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;

/**
 * Pairs a header's algorithm with the published key it names, refusing any pair that does not fit: an
 * Ed25519 OKP for {@code EdDSA}/{@code Ed25519}, an RSA key of at least 2048 bits for the RSA family
 * (RFC 7518 §3.3), a key whose {@code use} (if any) is {@code sig} and whose {@code alg} (if any) matches
 * (RFC 7517 §4.2, §4.4). This is where algorithm confusion (RFC 8725 §2.1) stops. Stateless.
 */
final class KeyFit {
    static final int MIN_RSA_BITS = 2048;

    private KeyFit() {
    }

    static SignatureCheck verifierFor(JWSAlgorithm alg, JWK key) throws Rejection {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw Reason.KEY_MISMATCH.reject();
        }
        if (key.getAlgorithm() != null && !sameAlgorithm(alg, key.getAlgorithm().getName())) {
            throw Reason.KEY_MISMATCH.reject();
        }
        try {
            if (isEdDsa(alg) && key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
                return SignatureCheck.ed25519(okp.getDecodedX());
            }
            if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey rsa && rsa.size() >= MIN_RSA_BITS) {
                return SignatureCheck.rsa(alg, rsa.toRSAPublicKey());
            }
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            throw Reason.KEY_MISMATCH.reject();
        }
        throw Reason.KEY_MISMATCH.reject();
    }

    private static boolean isEdDsa(JWSAlgorithm alg) {
        return JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg);
    }

    /** {@code EdDSA} over Ed25519 and the fully specified {@code Ed25519} name one algorithm. */
    private static boolean sameAlgorithm(JWSAlgorithm alg, String keyAlg) {
        if (alg.getName().equals(keyAlg)) {
            return true;
        }
        return isEdDsa(alg) && isEdDsa(JWSAlgorithm.parse(keyAlg));
    }
}

package dev.mayfly.server.oauth.assertion;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;

/**
 * Pairs an assertion's algorithm with a public key, refusing any pair that does not fit (algorithm confusion,
 * RFC 8725 §2.1): Ed25519 for {@code EdDSA}/{@code Ed25519}; P-256, P-384, P-521 for ES256, ES384, ES512; RSA of
 * at least 2048 bits for RS* and PS*; a key whose {@code use} (if any) is {@code sig} and whose {@code alg}
 * (if any) is the header's. Also the rule a key must meet to be registered. Stateless.
 */
public final class KeyFit {
    static final int MIN_RSA_BITS = 2048;

    private KeyFit() {
    }

    /** A verifier for this algorithm and key, or null when they do not fit. */
    static JWSVerifier verifier(JWSAlgorithm alg, JWK key) {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            return null;
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg.getName())
                && !(isEdDsa(alg) && isEdDsa(JWSAlgorithm.parse(key.getAlgorithm().getName())))) {
            return null;
        }
        try {
            if (isEdDsa(alg) && key instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
                return new Ed25519Verifier(((OctetKeyPair) key).toPublicJWK());
            }
            if (key instanceof ECKey && curveOf(alg) != null && curveOf(alg).equals(((ECKey) key).getCurve())) {
                return new ECDSAVerifier(((ECKey) key).toPublicJWK());
            }
            if (JWSAlgorithm.Family.RSA.contains(alg) && key instanceof RSAKey && ((RSAKey) key).size() >= MIN_RSA_BITS) {
                return new RSASSAVerifier(((RSAKey) key).toPublicJWK());
            }
        } catch (JOSEException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Why a key may not be registered for {@code private_key_jwt}, or null when it may. */
    public static String unfitForRegistration(JWK key) {
        if (key.isPrivate()) {
            return "it holds a private key; register only the public key";
        }
        if (key instanceof OctetKeyPair && Curve.Ed25519.equals(((OctetKeyPair) key).getCurve())) {
            return null;
        }
        if (key instanceof ECKey && (Curve.P_256.equals(((ECKey) key).getCurve())
                || Curve.P_384.equals(((ECKey) key).getCurve()) || Curve.P_521.equals(((ECKey) key).getCurve()))) {
            return null;
        }
        if (key instanceof RSAKey) {
            return ((RSAKey) key).size() >= MIN_RSA_BITS ? null : "an RSA key must have at least 2048 bits";
        }
        return "it must be an Ed25519, EC P-256/P-384/P-521 or RSA (2048 bits or more) key";
    }

    private static boolean isEdDsa(JWSAlgorithm alg) {
        return JWSAlgorithm.EdDSA.equals(alg) || JWSAlgorithm.Ed25519.equals(alg);
    }

    private static Curve curveOf(JWSAlgorithm alg) {
        if (JWSAlgorithm.ES256.equals(alg)) {
            return Curve.P_256;
        }
        if (JWSAlgorithm.ES384.equals(alg)) {
            return Curve.P_384;
        }
        return JWSAlgorithm.ES512.equals(alg) ? Curve.P_521 : null;
    }
}

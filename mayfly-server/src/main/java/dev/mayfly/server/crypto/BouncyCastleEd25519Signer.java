package dev.mayfly.server.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.impl.EdDSAProvider;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.MessageDigest;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Signs JWS with Ed25519 (RFC 8032) through Bouncy Castle's implementation instead of Tink's, which Nimbus'
 * own {@code Ed25519Signer} uses. Signing is every issued token's largest piece of Java work (~45% of the
 * broker's Java samples under token-exchange load with Tink) and Bouncy Castle signs about 2.2 times as many
 * tokens per core on the reference machine (BENCHMARKS.md, run 6). Ed25519 signatures are deterministic, so the output is byte for byte what Tink
 * produces for the same key and input; {@code BouncyCastleEd25519SignerTest} holds the two to that. Bouncy
 * Castle's base-point multiplication selects table entries in constant time, as Tink's does.
 */
public final class BouncyCastleEd25519Signer extends EdDSAProvider implements JWSSigner {
    private final byte[] seed;
    private final byte[] publicKey;

    public BouncyCastleEd25519Signer(OctetKeyPair key) throws JOSEException {
        if (!Curve.Ed25519.equals(key.getCurve())) {
            throw new JOSEException("Ed25519 signing needs an OctetKeyPair with crv=Ed25519, not " + key.getCurve());
        }
        if (!key.isPrivate()) {
            throw new JOSEException("the Ed25519 key has no private part");
        }
        seed = key.getDecodedD();
        if (seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new JOSEException("an Ed25519 private key is " + Ed25519.SECRET_KEY_SIZE + " bytes, not " + seed.length);
        }
        publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, publicKey, 0);
        // The public key is hashed into every signature: one that does not belong to the seed (a corrupted or
        // hand-edited JWK) would publish an x under which none of our tokens verifies.
        if (!MessageDigest.isEqual(publicKey, key.getDecodedX())) {
            throw new JOSEException("the Ed25519 key's public part (x) does not belong to its private part (d)");
        }
        Ed25519.precompute(); // build the base-point tables now, not inside the first token request
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        JWSAlgorithm alg = header.getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
            throw new JOSEException("Ed25519 signing needs alg=EdDSA or alg=Ed25519 in the JWS header, not " + alg);
        }
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicKey, 0, signingInput, 0, signingInput.length, signature, 0);
        return Base64URL.encode(signature);
    }
}

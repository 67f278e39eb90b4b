package dev.mayfly.server.crypto;

import dev.mayfly.verifier.Ed25519Check;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 verification with Bouncy Castle's RFC 8032 code, for the DPoP proofs the token endpoint checks on every
 * bound issuance: about twice as fast as Tink's on the reference machine (BENCHMARKS.md, "DPoP at the token
 * endpoint"), and the broker already ships Bouncy Castle for signing ({@link BouncyCastleEd25519Signer}).
 * Stateless and thread-safe.
 */
public final class BouncyCastleEd25519Check implements Ed25519Check {
    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        } catch (RuntimeException e) {
            return false;
        }
    }
}

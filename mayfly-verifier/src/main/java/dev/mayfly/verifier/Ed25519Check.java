package dev.mayfly.verifier;

/**
 * An Ed25519 signature check (RFC 8032 §5.1.7) a caller plugs into {@link DpopProofVerifier.Builder#ed25519}.
 * Implementations must be thread-safe and return {@code false} (never throw) for a bad or malformed signature.
 */
@FunctionalInterface
public interface Ed25519Check {
    /**
     * @param publicKey the 32-byte public key ({@code x} of the OKP JWK)
     * @param message   the signed bytes
     * @param signature the 64-byte signature
     */
    boolean verify(byte[] publicKey, byte[] message, byte[] signature);
}

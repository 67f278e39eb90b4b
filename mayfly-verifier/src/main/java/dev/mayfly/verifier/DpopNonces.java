package dev.mayfly.verifier;

/**
 * Server-provided DPoP nonces (RFC 9449 §8, §9): the value to hand out in a {@code DPoP-Nonce} header, and
 * whether a nonce found in a proof is still acceptable. Implementations must be thread-safe; they may be
 * stateless (for example an HMAC of the current time window, so that every node of a cluster agrees).
 */
public interface DpopNonces {
    /** The nonce clients should put in their next proof. */
    String current();

    /** Whether {@code nonce} (never {@code null}) is one this server issued and still accepts. */
    boolean accepts(String nonce);
}

package dev.mayfly.verifier;

import java.time.Instant;
import java.util.Objects;

/**
 * A DPoP proof (RFC 9449 §4) that passed every check of §4.3: what the caller needs from it. Immutable.
 *
 * @param keyThumbprint the RFC 7638 SHA-256 thumbprint (base64url) of the proof's public key: the {@code cnf.jkt}
 *                      a token issued against this proof carries, and must carry to be used with it
 * @param jwtId         the proof's {@code jti}, already recorded as seen
 * @param issuedAt      the proof's {@code iat}
 * @param algorithm     the proof's JWS {@code alg}
 */
public record DpopProof(String keyThumbprint, String jwtId, Instant issuedAt, String algorithm) {
    public DpopProof {
        Objects.requireNonNull(keyThumbprint, "keyThumbprint");
        Objects.requireNonNull(jwtId, "jwtId");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}

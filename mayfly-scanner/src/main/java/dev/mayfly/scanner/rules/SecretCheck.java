package dev.mayfly.scanner.rules;

import java.util.Objects;

/**
 * A validator that decides whether a regex match is a real secret: a checksum, a structure, an entropy
 * bound, a placeholder filter. Implementations must be thread-safe and must not keep or log the secret.
 */
@FunctionalInterface
public interface SecretCheck {
    /** True when the candidate is a secret worth reporting. */
    boolean accepts(Candidate candidate);

    default SecretCheck and(SecretCheck other) {
        Objects.requireNonNull(other, "other");
        return c -> accepts(c) && other.accepts(c);
    }

    /** Accepts every candidate. */
    static SecretCheck any() {
        return c -> true;
    }
}

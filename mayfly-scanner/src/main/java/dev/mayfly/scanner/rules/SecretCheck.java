package dev.mayfly.scanner.rules;

import java.util.Objects;

/**
 * A validator that decides whether a regex match is a real secret: a checksum, a structure, an entropy
 * bound, a placeholder filter. Implementations must be thread-safe and must not keep or log the secret.
 *
 * <p>{@link #refusal} says why a candidate was refused, for {@code mayfly scan --explain}; a check that
 * does not override it gives a generic reason. A refusal never quotes the secret.
 */
@FunctionalInterface
public interface SecretCheck {
    /** The reason given when a check refuses a candidate without saying why. */
    String REFUSED = "refused by the rule's validator";

    /** True when the candidate is a secret worth reporting. */
    boolean accepts(Candidate candidate);

    /**
     * Why the candidate is refused, or {@code null} when it is accepted. Must agree with {@link #accepts}:
     * {@code null} exactly when it accepts. The reason names a property (a word, a shape, a number), never
     * the secret's characters.
     */
    default String refusal(Candidate candidate) {
        return accepts(candidate) ? null : REFUSED;
    }

    default SecretCheck and(SecretCheck other) {
        Objects.requireNonNull(other, "other");
        SecretCheck first = this;
        return new SecretCheck() {
            @Override
            public boolean accepts(Candidate c) {
                return first.accepts(c) && other.accepts(c);
            }

            @Override
            public String refusal(Candidate c) {
                String r = first.refusal(c);
                return r != null ? r : other.refusal(c);
            }
        };
    }

    /** A check with a reason: {@code reason} when {@code check} refuses. */
    static SecretCheck because(String reason, SecretCheck check) {
        Objects.requireNonNull(reason, "reason");
        return new SecretCheck() {
            @Override
            public boolean accepts(Candidate c) {
                return check.accepts(c);
            }

            @Override
            public String refusal(Candidate c) {
                return check.accepts(c) ? null : reason;
            }
        };
    }

    /** Accepts every candidate. */
    static SecretCheck any() {
        return c -> true;
    }
}

package dev.mayfly.scanner.rules;

/**
 * A {@link SecretCheck} whose verdict is its reason: it decides by {@link #refusal} alone, and accepts
 * exactly when there is no reason to refuse, so the two can never disagree. For checks that explain every
 * refusal in {@code mayfly scan --explain}.
 */
interface ReasonedCheck extends SecretCheck {
    @Override
    String refusal(Candidate candidate);

    @Override
    default boolean accepts(Candidate candidate) {
        return refusal(candidate) == null;
    }
}

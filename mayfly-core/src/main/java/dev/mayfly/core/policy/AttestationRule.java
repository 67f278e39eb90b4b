package dev.mayfly.core.policy;

import java.util.Objects;

/**
 * A policy rule on what a workload's platform attested at login (a federated assertion's claims): when claim
 * {@code claim} matches {@code value} ({@code *} matches any run of characters), the session's tokens are at
 * least {@code tier}. For example {@code ref = "refs/pull/*"} → {@code high}: a pull-request workflow, running
 * code nobody reviewed yet, gets 5-minute tokens. Rules only ever raise a tier. Immutable.
 */
public final class AttestationRule {
    private final String claim;
    private final ScopeRule value;

    public AttestationRule(String claim, String value, Tier tier) {
        if (Objects.requireNonNull(claim, "claim").isBlank()) {
            throw new IllegalArgumentException("claim must name a claim");
        }
        this.claim = claim;
        this.value = new ScopeRule(Objects.requireNonNull(value, "value"), tier); // the same glob as scope patterns
    }

    public String claim() {
        return claim;
    }

    public String value() {
        return value.pattern();
    }

    public Tier tier() {
        return value.tier();
    }

    /** Whether an attested claim value (a string, number or boolean as text; null when absent) matches. */
    public boolean matches(String claimValue) {
        return claimValue != null && value.matches(claimValue);
    }

    @Override
    public String toString() {
        return claim + "=" + value.pattern() + " -> " + value.tier().wireName();
    }
}

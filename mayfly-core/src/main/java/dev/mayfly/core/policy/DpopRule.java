package dev.mayfly.core.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * When the policy demands sender-constrained tokens (RFC 9449 DPoP), from the policy file's {@code [dpop]} table:
 * every token of a listed tier, and every token of an agent of a listed kind, must be bound to a DPoP key; and
 * whether the token endpoint demands a server nonce in proofs ({@code use_dpop_nonce}). Immutable.
 *
 * @param requiredTiers tiers whose tokens must be DPoP-bound ({@code [dpop] required_tiers})
 * @param requiredKinds agent kinds whose every token must be DPoP-bound ({@code [dpop] required_kinds})
 * @param nonce         whether token-endpoint proofs must carry a server nonce ({@code [dpop] nonce})
 */
public record DpopRule(Set<Tier> requiredTiers, Set<AgentKind> requiredKinds, boolean nonce) {
    /** The default: DPoP is accepted everywhere and demanded nowhere. */
    public static final DpopRule NONE = new DpopRule(Set.of(), Set.of(), false);

    public DpopRule {
        requiredTiers = Collections.unmodifiableSet(requiredTiers.isEmpty()
                ? EnumSet.noneOf(Tier.class) : EnumSet.copyOf(Objects.requireNonNull(requiredTiers)));
        requiredKinds = Collections.unmodifiableSet(requiredKinds.isEmpty()
                ? EnumSet.noneOf(AgentKind.class) : EnumSet.copyOf(Objects.requireNonNull(requiredKinds)));
    }

    /**
     * The rule that demands binding for a token of this tier issued to an agent of this kind, spelled as in the
     * policy file (e.g. {@code [dpop] required_tiers includes "high"}), or empty when a bearer token is allowed.
     */
    public Optional<String> requiringBinding(Tier tier, AgentKind kind) {
        if (requiredTiers.contains(tier)) {
            return Optional.of("[dpop] required_tiers includes \"" + tier.wireName() + "\"");
        }
        if (kind != null && requiredKinds.contains(kind)) {
            return Optional.of("[dpop] required_kinds includes \"" + kind.wireName() + "\"");
        }
        return Optional.empty();
    }
}

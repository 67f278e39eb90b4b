package dev.mayfly.core.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The lifetime policy of DESIGN §3.4: a token's tier is the highest among its scopes (and {@code high} at
 * least for a cross-trust audience); its TTL is the minimum of what was asked, the tier's, the agent kind's
 * and what is left of the session. Immutable and thread-safe; built by {@link #builder()} or read from TOML
 * by {@code dev.mayfly.policy.PolicyFile} (module mayfly-policy). {@link Builder#build()} refuses a policy that breaks the invariants below.
 *
 * <p>Invariants: {@code high} and {@code critical} live at most {@link #HIGH_PRIVILEGE_MAX}; a higher tier
 * never lives longer than a lower one; {@code mayfly:admin} is always {@code critical}.
 */
public final class TtlPolicy {
    /** The longest any high or critical token may live, whatever a policy file says. */
    public static final Duration HIGH_PRIVILEGE_MAX = Duration.ofMinutes(5);
    /** The broker's own administrative scope; always critical. */
    public static final String ADMIN_SCOPE = "mayfly:admin";
    /** Default refresh-token reuse grace: long enough for a client to retry a lost answer, short for a thief. */
    public static final Duration DEFAULT_REFRESH_REUSE_GRACE = Duration.ofSeconds(10);
    /** The longest reuse grace a policy may set: beyond a minute it stops being a retry and becomes a second token. */
    public static final Duration REFRESH_REUSE_GRACE_MAX = Duration.ofMinutes(1);

    private final Duration sessionMax;
    private final Duration leeway;
    private final Duration refreshReuseGrace;
    private final Tier defaultTier;
    private final Map<Tier, Duration> tierTtl;
    private final Map<AgentKind, Duration> kindMax;
    private final List<ScopeRule> scopeRules;
    private final Set<String> crossTrustAudiences;
    private final List<AttestationRule> attestationRules;
    private final DpopRule dpop;

    private TtlPolicy(Builder b) {
        this.attestationRules = List.copyOf(b.attestationRules);
        this.sessionMax = b.sessionMax;
        this.leeway = b.leeway;
        this.refreshReuseGrace = b.refreshReuseGrace;
        this.defaultTier = b.defaultTier;
        this.tierTtl = Collections.unmodifiableMap(new EnumMap<>(b.tierTtl));
        this.kindMax = Collections.unmodifiableMap(new EnumMap<>(b.kindMax));
        this.scopeRules = List.copyOf(b.scopeRules);
        this.crossTrustAudiences = Collections.unmodifiableSet(new LinkedHashSet<>(b.crossTrustAudiences));
        this.dpop = b.dpop;
    }

    /** The built-in defaults of DESIGN §3.4. */
    public static TtlPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.sessionMax = sessionMax;
        b.leeway = leeway;
        b.refreshReuseGrace = refreshReuseGrace;
        b.defaultTier = defaultTier;
        b.tierTtl.putAll(tierTtl);
        b.kindMax.clear();
        b.kindMax.putAll(kindMax);
        b.scopeRules.clear();
        b.scopeRules.addAll(scopeRules);
        b.crossTrustAudiences.addAll(crossTrustAudiences);
        b.attestationRules.addAll(attestationRules);
        b.dpop = dpop;
        return b;
    }

    /** The tier of one scope: the first matching rule's, or the default; {@code mayfly:admin} is always critical. */
    public Tier tierOf(String scope) {
        Tier tier = defaultTier;
        for (ScopeRule rule : scopeRules) {
            if (rule.matches(scope)) {
                tier = rule.tier();
                break;
            }
        }
        return ADMIN_SCOPE.equals(scope) ? Tier.CRITICAL : tier;
    }

    /** The tier of a token: the highest among its scopes, raised to {@code high} for a cross-trust audience. */
    public Tier tierOf(Collection<String> scopes, Collection<String> audiences) {
        Tier tier = scopes.isEmpty() ? defaultTier : Tier.LOW;
        for (String scope : scopes) {
            tier = tier.max(tierOf(scope));
        }
        for (String audience : audiences) {
            if (crossTrustAudiences.contains(audience)) {
                tier = tier.max(Tier.HIGH);
            }
        }
        return tier;
    }

    /**
     * The least tier a session's tokens get from what its login attested ({@link AttestationRule}): the highest
     * tier among the rules that match, or null when none does.
     *
     * @param claimValue a claim's value as text by rule claim name, null when the assertion lacks it
     */
    public Tier attestedTier(java.util.function.Function<String, String> claimValue) {
        Tier tier = null;
        for (AttestationRule rule : attestationRules) {
            if (rule.matches(claimValue.apply(rule.claim()))) {
                tier = tier == null ? rule.tier() : tier.max(rule.tier());
            }
        }
        return tier;
    }

    /** As {@link #decide(Collection, Collection, AgentKind, Duration, Duration)}, the tier at least {@code floor} (may be null). */
    public TtlDecision decide(Collection<String> scopes, Collection<String> audiences, AgentKind kind,
                              Duration requested, Duration sessionRemaining, Tier floor) {
        return decide(scopes, audiences, kind, requested, sessionRemaining, tierOf(scopes, audiences), floor);
    }

    /**
     * Decides a token's lifetime.
     *
     * @param requested        what the caller asked for, or {@code null}
     * @param sessionRemaining what is left of the session, or {@code null} when the token is not session-bound
     */
    public TtlDecision decide(Collection<String> scopes, Collection<String> audiences, AgentKind kind,
                              Duration requested, Duration sessionRemaining) {
        return decide(scopes, audiences, kind, requested, sessionRemaining, tierOf(scopes, audiences), null);
    }

    private TtlDecision decide(Collection<String> scopes, Collection<String> audiences, AgentKind kind,
                               Duration requested, Duration sessionRemaining, Tier scopeTier, Tier floor) {
        Tier tier = floor == null ? scopeTier : scopeTier.max(floor);
        Duration ttl = tierTtl.get(tier);
        TtlDecision.Bound bound = TtlDecision.Bound.TIER;
        Duration kindCap = kindMax.get(kind);
        if (kindCap != null && kindCap.compareTo(ttl) < 0) {
            ttl = kindCap;
            bound = TtlDecision.Bound.AGENT_KIND;
        }
        if (requested != null && requested.compareTo(ttl) < 0) {
            ttl = requested;
            bound = TtlDecision.Bound.REQUESTED;
        }
        if (sessionRemaining != null && sessionRemaining.compareTo(ttl) < 0) {
            ttl = sessionRemaining;
            bound = TtlDecision.Bound.SESSION;
        }
        return new TtlDecision(ttl.isNegative() ? Duration.ZERO : ttl, tier, bound);
    }

    public Duration sessionMax() {
        return sessionMax;
    }

    public Duration leeway() {
        return leeway;
    }

    /**
     * How long after a refresh token was rotated it may be presented again and get the same successor
     * (a refresh answer lost on the network); zero turns the grace off. Anything older is reuse.
     */
    public Duration refreshReuseGrace() {
        return refreshReuseGrace;
    }

    public Tier defaultTier() {
        return defaultTier;
    }

    public Duration tierTtl(Tier tier) {
        return tierTtl.get(tier);
    }

    public Map<AgentKind, Duration> kindMax() {
        return kindMax;
    }

    public List<ScopeRule> scopeRules() {
        return scopeRules;
    }

    /** Where DPoP binding (and a server nonce) is demanded; {@link DpopRule#NONE} by default. */
    public DpopRule dpop() {
        return dpop;
    }

    public Set<String> crossTrustAudiences() {
        return crossTrustAudiences;
    }

    public List<AttestationRule> attestationRules() {
        return attestationRules;
    }

    /** The longest any token can live under this policy: the session maximum (tokens never outlive it). */
    public Duration longestTokenTtl() {
        Duration longest = Duration.ZERO;
        for (Duration d : tierTtl.values()) {
            longest = d.compareTo(longest) > 0 ? d : longest;
        }
        return longest.compareTo(sessionMax) < 0 ? longest : sessionMax;
    }

    /** Builder for {@link TtlPolicy}, pre-filled with the defaults. Not thread-safe. */
    public static final class Builder {
        private Duration sessionMax = Duration.ofMinutes(30);
        private Duration leeway = Duration.ofSeconds(30);
        private Duration refreshReuseGrace = DEFAULT_REFRESH_REUSE_GRACE;
        private Tier defaultTier = Tier.STANDARD;
        private final Map<Tier, Duration> tierTtl = new EnumMap<>(Map.of(
                Tier.LOW, Duration.ofMinutes(15),
                Tier.STANDARD, Duration.ofMinutes(10),
                Tier.HIGH, Duration.ofMinutes(5),
                Tier.CRITICAL, Duration.ofMinutes(2)));
        // Batch agents do not get longer lifetimes: they ask for per-task tokens instead.
        private final Map<AgentKind, Duration> kindMax = new EnumMap<>(Map.of(AgentKind.BATCH, Duration.ofMinutes(10)));
        private final List<ScopeRule> scopeRules = new ArrayList<>(List.of(
                new ScopeRule("*:admin", Tier.CRITICAL),
                new ScopeRule("*:delete", Tier.HIGH),
                new ScopeRule("*:read", Tier.LOW)));
        private final Set<String> crossTrustAudiences = new LinkedHashSet<>();
        private final List<AttestationRule> attestationRules = new ArrayList<>();
        private DpopRule dpop = DpopRule.NONE;

        private Builder() {
        }

        public Builder dpop(DpopRule rule) {
            this.dpop = Objects.requireNonNull(rule);
            return this;
        }

        public Builder sessionMax(Duration d) {
            this.sessionMax = Objects.requireNonNull(d);
            return this;
        }

        public Builder leeway(Duration d) {
            this.leeway = Objects.requireNonNull(d);
            return this;
        }

        /** See {@link TtlPolicy#refreshReuseGrace()}: 0s (off) to {@link #REFRESH_REUSE_GRACE_MAX}. */
        public Builder refreshReuseGrace(Duration d) {
            this.refreshReuseGrace = Objects.requireNonNull(d);
            return this;
        }

        public Builder defaultTier(Tier t) {
            this.defaultTier = Objects.requireNonNull(t);
            return this;
        }

        public Builder tierTtl(Tier tier, Duration ttl) {
            tierTtl.put(tier, Objects.requireNonNull(ttl));
            return this;
        }

        public Builder kindMax(AgentKind kind, Duration max) {
            if (max == null) {
                kindMax.remove(kind);
            } else {
                kindMax.put(kind, max);
            }
            return this;
        }

        /** Replaces the scope rules; they are tried in order and the first match wins. */
        public Builder scopeRules(List<ScopeRule> rules) {
            scopeRules.clear();
            scopeRules.addAll(rules);
            return this;
        }

        /** Adds a rule raising the tier of sessions whose login attested a matching claim (none by default). */
        public Builder attestationRule(AttestationRule rule) {
            attestationRules.add(Objects.requireNonNull(rule));
            return this;
        }

        public Builder crossTrustAudience(String audience) {
            crossTrustAudiences.add(Objects.requireNonNull(audience));
            return this;
        }

        /** @throws PolicyException naming every rule the policy breaks */
        public TtlPolicy build() {
            List<String> problems = new ArrayList<>();
            positive("session max", sessionMax, problems);
            if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0) {
                problems.add("clock_leeway must be between 0s and 5m, got " + fmt(leeway));
            }
            if (refreshReuseGrace.isNegative() || refreshReuseGrace.compareTo(REFRESH_REUSE_GRACE_MAX) > 0) {
                problems.add("refresh_reuse_grace must be between 0s and " + fmt(REFRESH_REUSE_GRACE_MAX) + ", got "
                        + fmt(refreshReuseGrace));
            }
            for (Tier t : Tier.values()) {
                positive("tier " + t.wireName(), tierTtl.get(t), problems);
            }
            kindMax.forEach((k, d) -> positive("kind " + k.wireName(), d, problems));
            for (Tier t : new Tier[] {Tier.HIGH, Tier.CRITICAL}) {
                Duration d = tierTtl.get(t);
                if (d != null && d.compareTo(HIGH_PRIVILEGE_MAX) > 0) {
                    problems.add("tier " + t.wireName() + " would live " + fmt(d) + "; high and critical tokens live at most "
                            + fmt(HIGH_PRIVILEGE_MAX));
                }
            }
            Tier[] tiers = Tier.values();
            for (int i = 1; i < tiers.length; i++) {
                Duration lower = tierTtl.get(tiers[i - 1]);
                Duration higher = tierTtl.get(tiers[i]);
                if (lower != null && higher != null && higher.compareTo(lower) > 0) {
                    problems.add("tier " + tiers[i].wireName() + " (" + fmt(higher) + ") would outlive the less privileged tier "
                            + tiers[i - 1].wireName() + " (" + fmt(lower) + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new PolicyException(problems);
            }
            return new TtlPolicy(this);
        }

        private static void positive(String what, Duration d, List<String> problems) {
            if (d == null || d.isZero() || d.isNegative()) {
                problems.add(what + " must be a positive duration");
            }
        }

        private static String fmt(Duration d) {
            return dev.mayfly.core.time.Durations.format(d);
        }
    }
}

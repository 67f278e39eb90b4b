package dev.mayfly.policy;

import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.PolicyException;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a policy against the practices of the production checklist, beyond the invariants
 * {@link TtlPolicy.Builder#build()} enforces. Used by {@code mayfly policy check} (on a file) and by
 * {@code mayfly doctor} (on the broker's effective policy and the scopes its agents hold). Stateless.
 *
 * <p>Rules (the {@code rule} of each finding):
 * <ul>
 *   <li>{@code invalid} (error): the policy is refused outright (a high or critical tier over 5 minutes, a
 *       higher tier outliving a lower one, an unknown key...): the broker would not start with it.</li>
 *   <li>{@code high-privilege-ttl} (error): a high-privilege scope (its last segment is {@code admin} or
 *       {@code delete}) would live longer than {@link TtlPolicy#HIGH_PRIVILEGE_MAX}. Scope rules replace the
 *       built-in ones, so a file whose rules forget {@code *:admin} quietly gives admin scopes the default
 *       tier. Probed: {@code example:admin}, {@code example:delete}, each rule's prefix ({@code payments:*}
 *       probes {@code payments:admin} and {@code payments:delete}) and every granted scope named so.</li>
 *   <li>{@code batch-ttl} (error): a batch agent could hold a token longer than {@link #BATCH_MAX}. Batch
 *       work gets per-task tokens (one per unit of work), never longer lifetimes.</li>
 *   <li>{@code long-session} (warning): sessions outlive {@link #LONG_SESSION}; a leaked refresh token is
 *       good for that long.</li>
 * </ul>
 */
public final class PolicyLint {
    /** The longest a batch agent's token may live: the longest default tier. */
    public static final Duration BATCH_MAX = Duration.ofMinutes(15);
    /** Sessions longer than this are worth a warning. */
    public static final Duration LONG_SESSION = Duration.ofHours(1);
    /** Last scope segments that name a high-privilege action. */
    static final Set<String> HIGH_PRIVILEGE_ACTIONS = Set.of("admin", "delete");

    /** How bad a finding is: an error fails {@code policy check} and doctor's lint; a warning does not. */
    public enum Severity {
        ERROR, WARNING;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One problem: which rule, how bad, and what to do. */
    public record Finding(String rule, Severity severity, String message) {
        public boolean error() {
            return severity == Severity.ERROR;
        }
    }

    private PolicyLint() {
    }

    /** Lints a policy file's text: a refused policy yields one {@code invalid} error per problem. */
    public static List<Finding> lintToml(String toml, String source) {
        TtlPolicy policy;
        try {
            policy = PolicyFile.parse(toml, source);
        } catch (PolicyException e) {
            return e.problems().stream().map(p -> new Finding("invalid", Severity.ERROR, p)).toList();
        }
        return lint(policy, List.of());
    }

    /**
     * Lints an effective policy.
     *
     * @param grantedScopes scopes agents actually hold (from the broker), probed too; may be empty
     */
    public static List<Finding> lint(TtlPolicy policy, Collection<String> grantedScopes) {
        List<Finding> findings = new ArrayList<>();
        for (String scope : highPrivilegeProbes(policy, grantedScopes)) {
            Tier tier = policy.tierOf(scope);
            Duration ttl = policy.tierTtl(tier);
            if (ttl.compareTo(TtlPolicy.HIGH_PRIVILEGE_MAX) > 0) {
                findings.add(new Finding("high-privilege-ttl", Severity.ERROR, "scope " + scope + " is high-privilege but gets tier "
                        + tier.wireName() + " and lives " + fmt(ttl) + " (at most " + fmt(TtlPolicy.HIGH_PRIVILEGE_MAX)
                        + "); add a [[scope]] rule mapping it to high or critical"));
            }
        }
        Duration batch = longestFor(policy, AgentKind.BATCH);
        if (batch.compareTo(BATCH_MAX) > 0) {
            findings.add(new Finding("batch-ttl", Severity.ERROR, "batch agents could hold tokens for " + fmt(batch)
                    + " (at most " + fmt(BATCH_MAX) + "); give batch work per-task tokens instead of longer lifetimes "
                    + "([kinds] batch = \"10m\")"));
        }
        if (policy.sessionMax().compareTo(LONG_SESSION) > 0) {
            findings.add(new Finding("long-session", Severity.WARNING, "sessions last " + fmt(policy.sessionMax())
                    + " (over " + fmt(LONG_SESSION) + "); a leaked refresh token is good that long"));
        }
        return findings;
    }

    /** The longest token an agent of this kind can get: its kind cap, the longest tier, and the session bound it. */
    public static Duration longestFor(TtlPolicy policy, AgentKind kind) {
        Duration longest = policy.longestTokenTtl();
        Duration cap = policy.kindMax().get(kind);
        return cap != null && cap.compareTo(longest) < 0 ? cap : longest;
    }

    private static Set<String> highPrivilegeProbes(TtlPolicy policy, Collection<String> granted) {
        Set<String> probes = new LinkedHashSet<>();
        for (String action : HIGH_PRIVILEGE_ACTIONS.stream().sorted().toList()) {
            probes.add("example:" + action);
            for (ScopeRule rule : policy.scopeRules()) {
                if (rule.pattern().endsWith("*")) {
                    probes.add(rule.pattern().substring(0, rule.pattern().length() - 1) + action);
                }
            }
        }
        for (String scope : granted) {
            int colon = scope.lastIndexOf(':');
            if (HIGH_PRIVILEGE_ACTIONS.contains(scope.substring(colon + 1).toLowerCase(Locale.ROOT))) {
                probes.add(scope);
            }
        }
        probes.removeIf(p -> p.contains("*"));
        return probes;
    }

    private static String fmt(Duration d) {
        return Durations.format(d);
    }
}

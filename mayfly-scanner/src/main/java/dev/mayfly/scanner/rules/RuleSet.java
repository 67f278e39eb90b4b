package dev.mayfly.scanner.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered set of rules with unique ids plus global allowlists (which may target some rules only).
 * Immutable and thread-safe.
 */
public final class RuleSet {
    private final List<Rule> rules;
    private final List<Allowlist> allowlists;

    private RuleSet(Collection<Rule> rules, Collection<Allowlist> allowlists) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule r : rules) {
            if (byId.putIfAbsent(r.id(), r) != null) {
                throw new IllegalArgumentException("duplicate rule id '" + r.id() + "'");
            }
        }
        this.rules = List.copyOf(byId.values());
        this.allowlists = List.copyOf(allowlists);
    }

    public static RuleSet of(Collection<Rule> rules) {
        return new RuleSet(rules, List.of());
    }

    public static RuleSet of(Collection<Rule> rules, Collection<Allowlist> globalAllowlists) {
        return new RuleSet(rules, globalAllowlists);
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Global allowlists. */
    public List<Allowlist> allowlists() {
        return allowlists;
    }

    public Optional<Rule> rule(String id) {
        for (Rule r : rules) {
            if (r.id().equals(id)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public int size() {
        return rules.size();
    }

    /** True when a global allowlist that applies to the rule allows the candidate. */
    public boolean allowlisted(Rule rule, Candidate c) {
        for (Allowlist a : allowlists) {
            if (a.appliesTo(rule.id()) && a.allows(c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * This set plus another: a rule of {@code other} replaces a rule of this set with the same id (so an
     * imported rule file can redefine a built-in rule); allowlists are concatenated.
     */
    public RuleSet plus(RuleSet other) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule r : rules) {
            byId.put(r.id(), r);
        }
        for (Rule r : other.rules) {
            byId.put(r.id(), r);
        }
        List<Allowlist> all = new ArrayList<>(allowlists);
        all.addAll(other.allowlists);
        return new RuleSet(byId.values(), all);
    }

    /** This set without the rules with the given ids. */
    public RuleSet without(Set<String> ids) {
        List<Rule> kept = new ArrayList<>();
        for (Rule r : rules) {
            if (!ids.contains(r.id())) {
                kept.add(r);
            }
        }
        return new RuleSet(kept, allowlists);
    }

    @Override
    public String toString() {
        return "RuleSet[" + rules.size() + " rules, " + allowlists.size() + " allowlists]";
    }
}

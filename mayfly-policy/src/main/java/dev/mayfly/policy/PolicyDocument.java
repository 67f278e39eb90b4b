package dev.mayfly.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.mayfly.core.policy.AttestationRule;
import dev.mayfly.core.policy.PolicyException;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.time.Durations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link TtlPolicy} written out in the shape of the policy file (every key explicit, durations as
 * {@code "10m"}), for {@code GET /v1/policy} and {@code mayfly policy show}; and read back from that shape
 * through {@link PolicyFile}, so a policy fetched from a broker is checked by exactly the rules a file is.
 */
public final class PolicyDocument {
    private PolicyDocument() {
    }

    /** The effective policy as the TOML file would spell it, with nothing left to defaults. */
    public static Map<String, Object> toMap(TtlPolicy policy) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("session_max", Durations.format(policy.sessionMax()));
        m.put("clock_leeway", Durations.format(policy.leeway()));
        m.put("refresh_reuse_grace", Durations.format(policy.refreshReuseGrace()));
        m.put("default_tier", policy.defaultTier().wireName());
        m.put("cross_trust_audiences", List.copyOf(policy.crossTrustAudiences()));
        Map<String, Object> tiers = new LinkedHashMap<>();
        for (Tier t : Tier.values()) {
            tiers.put(t.wireName(), Durations.format(policy.tierTtl(t)));
        }
        m.put("tiers", tiers);
        Map<String, Object> kinds = new LinkedHashMap<>();
        policy.kindMax().forEach((k, d) -> kinds.put(k.wireName(), Durations.format(d)));
        m.put("kinds", kinds);
        List<Map<String, Object>> rules = new ArrayList<>();
        for (ScopeRule r : policy.scopeRules()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("pattern", r.pattern());
            rule.put("tier", r.tier().wireName());
            rules.add(rule);
        }
        m.put("scope", rules);
        if (!policy.attestationRules().isEmpty()) { // written only when set: older readers know no such key
            List<Map<String, Object>> attested = new ArrayList<>();
            for (AttestationRule r : policy.attestationRules()) {
                Map<String, Object> rule = new LinkedHashMap<>();
                rule.put("claim", r.claim());
                rule.put("value", r.value());
                rule.put("tier", r.tier().wireName());
                attested.add(rule);
            }
            m.put("attestation", attested);
        }
        Map<String, Object> dpop = new LinkedHashMap<>();
        dpop.put("required_tiers", policy.dpop().requiredTiers().stream().map(Tier::wireName).toList());
        dpop.put("required_kinds", policy.dpop().requiredKinds().stream().map(k -> k.wireName()).toList());
        dpop.put("nonce", policy.dpop().nonce());
        m.put("dpop", dpop);
        return m;
    }

    /** The policy file's text for a policy. */
    public static String toToml(TtlPolicy policy) {
        try {
            return new TomlMapper().writeValueAsString(toMap(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a policy map always writes as TOML", e);
        }
    }

    /**
     * Reads a policy from the shape {@link #toMap} writes (e.g. a broker's {@code GET /v1/policy} data).
     *
     * @throws PolicyException when it breaks a rule, exactly as the same policy in a file would
     */
    public static TtlPolicy fromTree(JsonNode tree, String source) {
        String toml;
        try {
            toml = new TomlMapper().writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new PolicyException(List.of(source + " cannot be written as a policy file: " + e.getOriginalMessage()));
        }
        return PolicyFile.parse(toml, source);
    }
}

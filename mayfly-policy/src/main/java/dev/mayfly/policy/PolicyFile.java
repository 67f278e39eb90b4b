package dev.mayfly.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.mayfly.core.policy.AgentKind;
import dev.mayfly.core.policy.AttestationRule;
import dev.mayfly.core.policy.DpopRule;
import dev.mayfly.core.policy.PolicyException;
import dev.mayfly.core.policy.ScopeRule;
import dev.mayfly.core.policy.Tier;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.time.Durations;
import dev.mayfly.core.token.Audiences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads a {@link TtlPolicy} from TOML. Every key is optional and falls back to the built-in default;
 * unknown keys are refused (a typo must not silently keep a long lifetime). Example:
 *
 * <pre>
 * session_max = "30m"
 * clock_leeway = "30s"
 * refresh_reuse_grace = "10s"   # the previous refresh token, presented again this soon, gets the same successor
 * default_tier = "standard"
 * cross_trust_audiences = ["https://payments.example"]
 *
 * [tiers]
 * low = "15m"
 * standard = "10m"
 * high = "5m"
 * critical = "2m"
 *
 * [kinds]          # caps per agent kind
 * batch = "10m"
 *
 * [[scope]]        # first match wins; replaces the built-in rules when present
 * pattern = "payments:*"
 * tier = "high"
 *
 * [dpop]           # sender-constrained tokens (RFC 9449); nothing is demanded by default
 * required_tiers = ["high", "critical"]
 * required_kinds = ["llm"]
 * nonce = false
 * </pre>
 *
 * And {@code [[attestation]]} tables ({@code claim}, {@code value} with {@code *}, {@code tier}): a federated login
 * whose token attested a matching claim gets tokens of at least that tier for its whole session.
 */
public final class PolicyFile {
    private static final Set<String> TOP_KEYS =
            Set.of("session_max", "clock_leeway", "refresh_reuse_grace", "default_tier", "cross_trust_audiences", "tiers", "kinds", "scope",
                    "attestation", "dpop");

    private PolicyFile() {
    }

    /** @throws PolicyException when the file cannot be read, is not TOML, or breaks a policy rule */
    public static TtlPolicy load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new PolicyException(List.of("cannot read policy file " + file + ": " + e.getClass().getSimpleName()));
        }
        return parse(text, file.toString());
    }

    public static TtlPolicy parse(String toml, String source) {
        JsonNode root;
        try {
            root = new TomlMapper().readTree(toml);
        } catch (JacksonException e) {
            throw new PolicyException(List.of(source + " is not valid TOML: " + e.getOriginalMessage()));
        }
        List<String> problems = new ArrayList<>();
        TtlPolicy.Builder b = TtlPolicy.builder();
        if (root == null || !root.isObject()) {
            return b.build();
        }
        unknownKeys(root, TOP_KEYS, "", problems);
        requireType(root, "tiers", JsonNode::isObject, "a table [tiers]", problems);
        requireType(root, "kinds", JsonNode::isObject, "a table [kinds]", problems);
        requireType(root, "scope", JsonNode::isArray, "an array of tables [[scope]]", problems);
        requireType(root, "cross_trust_audiences", JsonNode::isArray, "an array of strings", problems);
        requireType(root, "attestation", JsonNode::isArray, "an array of tables [[attestation]]", problems);
        duration(root, "session_max", problems, b::sessionMax);
        duration(root, "clock_leeway", problems, b::leeway);
        duration(root, "refresh_reuse_grace", problems, b::refreshReuseGrace);
        if (root.has("default_tier")) {
            guard(problems, "default_tier", () -> b.defaultTier(Tier.parse(root.get("default_tier").asText())));
        }
        JsonNode tiers = root.path("tiers");
        if (tiers.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = tiers.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                guard(problems, "tiers." + e.getKey(),
                        () -> b.tierTtl(Tier.parse(e.getKey()), Durations.parse(e.getValue().asText())));
            }
        }
        JsonNode kinds = root.path("kinds");
        if (kinds.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = kinds.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                guard(problems, "kinds." + e.getKey(),
                        () -> b.kindMax(AgentKind.parse(e.getKey()), Durations.parse(e.getValue().asText())));
            }
        }
        JsonNode scopes = root.path("scope");
        if (scopes.isArray()) {
            List<ScopeRule> rules = new ArrayList<>();
            int i = 0;
            for (JsonNode rule : scopes) {
                String where = "scope[" + i++ + "]";
                unknownKeys(rule, Set.of("pattern", "tier"), where + ".", problems);
                if (!rule.path("pattern").isTextual() || rule.path("pattern").asText().isBlank()) {
                    problems.add(where + ": pattern is required");
                    continue;
                }
                guard(problems, where, () -> rules.add(
                        new ScopeRule(rule.get("pattern").asText(), Tier.parse(rule.path("tier").asText("")))));
            }
            b.scopeRules(rules);
        }
        JsonNode attestations = root.path("attestation");
        if (attestations.isArray()) {
            int i = 0;
            for (JsonNode rule : attestations) {
                String where = "attestation[" + i++ + "]";
                unknownKeys(rule, Set.of("claim", "value", "tier"), where + ".", problems);
                if (!rule.path("claim").isTextual() || !rule.path("value").isTextual()) {
                    problems.add(where + ": claim and value are required strings");
                    continue;
                }
                guard(problems, where, () -> b.attestationRule(new AttestationRule(rule.get("claim").asText(),
                        rule.get("value").asText(), Tier.parse(rule.path("tier").asText("")))));
            }
        }
        JsonNode audiences = root.path("cross_trust_audiences");
        if (audiences.isArray()) {
            int i = 0;
            for (JsonNode a : audiences) {
                String where = "cross_trust_audiences[" + i++ + "]";
                if (!a.isTextual() || !Audiences.isValid(a.asText())) { // the same rule as at agent registration
                    problems.add(where + ": " + Audiences.rule());
                    continue;
                }
                b.crossTrustAudience(a.asText());
            }
        }
        requireType(root, "dpop", JsonNode::isObject, "a table [dpop]", problems);
        JsonNode dpop = root.path("dpop");
        if (dpop.isObject()) {
            dpopRule(dpop, problems).ifPresent(b::dpop);
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return b.build();
    }

    /** The {@code [dpop]} table: which tiers and agent kinds must hold DPoP-bound tokens, and the nonce switch. */
    private static java.util.Optional<DpopRule> dpopRule(JsonNode dpop, List<String> problems) {
        int before = problems.size();
        unknownKeys(dpop, Set.of("required_tiers", "required_kinds", "nonce"), "dpop.", problems);
        Set<Tier> tiers = java.util.EnumSet.noneOf(Tier.class);
        Set<AgentKind> kinds = java.util.EnumSet.noneOf(AgentKind.class);
        names(dpop, "required_tiers", problems, n -> tiers.add(Tier.parse(n)));
        names(dpop, "required_kinds", problems, n -> kinds.add(AgentKind.parse(n)));
        JsonNode nonce = dpop.path("nonce");
        if (!nonce.isMissingNode() && !nonce.isBoolean()) {
            problems.add("dpop.nonce must be true or false");
        }
        return problems.size() > before ? java.util.Optional.empty()
                : java.util.Optional.of(new DpopRule(tiers, kinds, nonce.asBoolean(false)));
    }

    private static void names(JsonNode table, String key, List<String> problems, Consumer<String> add) {
        JsonNode list = table.path(key);
        if (list.isMissingNode()) {
            return;
        }
        if (!list.isArray()) {
            problems.add("dpop." + key + " must be an array of strings");
            return;
        }
        int i = 0;
        for (JsonNode n : list) {
            String where = "dpop." + key + "[" + i++ + "]";
            guard(problems, where, () -> add.accept(n.asText()));
        }
    }

    private static void duration(JsonNode root, String key, List<String> problems, Consumer<Duration> set) {
        if (root.has(key)) {
            guard(problems, key, () -> set.accept(Durations.parse(root.get(key).asText())));
        }
    }

    private static void requireType(JsonNode root, String key, java.util.function.Predicate<JsonNode> ok, String expected,
                                    List<String> problems) {
        if (root.has(key) && !ok.test(root.get(key))) {
            problems.add(key + " must be " + expected);
        }
    }

    private static void guard(List<String> problems, String where, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            problems.add(where + ": " + e.getMessage());
        }
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix, List<String> problems) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problems.add("unknown key '" + prefix + k + "'");
            }
        });
    }
}

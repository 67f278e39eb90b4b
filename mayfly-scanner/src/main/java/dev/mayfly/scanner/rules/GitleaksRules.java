package dev.mayfly.scanner.rules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Imports gitleaks rule files (TOML, gitleaks v8 format): {@code [[rules]]} with {@code id},
 * {@code description}, {@code regex}, {@code secretGroup}, {@code entropy}, {@code keywords},
 * {@code path}, {@code tags} and rule allowlists ({@code [rules.allowlist]} or
 * {@code [[rules.allowlists]]}); global allowlists ({@code [allowlist]}, {@code [[allowlists]]} with
 * {@code targetRules}); {@code [extend]} with {@code path}, {@code useDefault} (Mayfly's built-in rules)
 * and {@code disabledRules}. Regexes are Go RE2 syntax, translated to java.util.regex.
 *
 * <p>Anything it cannot honour exactly (an unknown key, composite rules, {@code extend.url}, a regex
 * construct without a Java equivalent) fails the whole load with {@link ErrorCode#USAGE}, a message naming
 * the rule and the construct, and the rule id in the {@code rule_id} detail. Nothing is skipped silently.
 */
public final class GitleaksRules {
    private static final int MAX_EXTEND_DEPTH = 2;
    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> TOP_KEYS = Set.of("title", "description", "minVersion", "extend", "rules",
            "allowlist", "allowlists");
    private static final Set<String> RULE_KEYS = Set.of("id", "description", "regex", "secretGroup", "entropy",
            "keywords", "path", "tags", "allowlist", "allowlists");
    private static final Set<String> ALLOWLIST_KEYS = Set.of("description", "condition", "commits", "paths",
            "regexTarget", "regexes", "stopwords");
    private static final Set<String> EXTEND_KEYS = Set.of("path", "useDefault", "disabledRules");
    private static final Map<String, String> UNSUPPORTED_KEYS = Map.of(
            "required", "composite rules ([[rules.required]]) are not supported",
            "skipReport", "skipReport (composite rules) is not supported",
            "url", "extend.url is not supported; download the file and use extend.path",
            "validate", "live validation is not supported");

    private GitleaksRules() {
    }

    /**
     * Loads a gitleaks TOML file; {@code extend.path} is resolved against the file's directory.
     *
     * @throws MayflyException {@link ErrorCode#NOT_FOUND} for a missing file, {@link ErrorCode#PRECONDITION}
     *     for an unreadable one, {@link ErrorCode#USAGE} for an invalid or unsupported configuration
     */
    public static RuleSet load(Path file) {
        return load(file, 0, new HashSet<>()).toRuleSet();
    }

    /** Parses gitleaks TOML text; a relative {@code extend.path} is resolved against the working directory. */
    public static RuleSet parse(String toml) {
        return parse(toml, null, "<string>", 0, new HashSet<>()).toRuleSet();
    }

    private static Config load(Path file, int depth, Set<Path> visiting) {
        Path normal = file.toAbsolutePath().normalize();
        if (!visiting.add(normal)) {
            throw usage(null, "gitleaks config " + file + " extends itself");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MayflyException(ErrorCode.NOT_FOUND, "gitleaks config not found: " + file);
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "cannot read gitleaks config " + file);
        }
        Config c = parse(text, normal.getParent(), file.toString(), depth, visiting);
        visiting.remove(normal);
        return c;
    }

    private static Config parse(String toml, Path baseDir, String name, int depth, Set<Path> visiting) {
        JsonNode root;
        try {
            root = TOML.readTree(toml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw usage(null, "gitleaks config " + name + " is not valid TOML" + where);
        }
        if (root == null || !root.isObject()) {
            throw usage(null, "gitleaks config " + name + " is empty");
        }
        checkKeys(root, TOP_KEYS, "gitleaks config " + name, null);
        Config config = new Config();
        JsonNode rules = root.get("rules");
        if (rules != null) {
            if (!rules.isArray()) {
                throw usage(null, "gitleaks config " + name + ": 'rules' must be an array of tables ([[rules]])");
            }
            int index = 0;
            for (JsonNode r : rules) {
                index++;
                Draft d = parseRule(r, index);
                if (config.rules.putIfAbsent(d.id, d) != null) {
                    throw usage(d.id, "rule '" + d.id + "' is defined twice");
                }
            }
        }
        if (root.has("allowlist")) {
            config.allowlists.add(parseAllowlist(root.get("allowlist"), "global [allowlist]", null, true));
        }
        for (JsonNode a : arrayOf(root, "allowlists", "global [[allowlists]]", null)) {
            config.allowlists.add(parseAllowlist(a, "global [[allowlists]]", null, true));
        }
        if (root.has("extend")) {
            config = extend(config, root.get("extend"), baseDir, name, depth, visiting);
        }
        return config;
    }

    private static Config extend(Config current, JsonNode ext, Path baseDir, String name, int depth,
            Set<Path> visiting) {
        checkKeys(ext, EXTEND_KEYS, "[extend] of " + name, null);
        if (depth >= MAX_EXTEND_DEPTH) {
            throw usage(null, "gitleaks config " + name + ": [extend] nests deeper than " + MAX_EXTEND_DEPTH);
        }
        Config base = new Config();
        if (ext.path("useDefault").asBoolean(false)) {
            for (Rule r : BuiltinRules.all().rules()) {
                base.rules.put(r.id(), Draft.of(r));
            }
        }
        if (ext.hasNonNull("path")) {
            Path p = Path.of(ext.get("path").asText());
            if (!p.isAbsolute() && baseDir != null && Files.exists(baseDir.resolve(p))) {
                p = baseDir.resolve(p);
            }
            Config loaded = load(p, depth + 1, visiting);
            base.rules.putAll(loaded.rules);
            base.allowlists.addAll(loaded.allowlists);
        }
        Set<String> disabled = new HashSet<>(strings(ext, "disabledRules", "[extend]", null));
        Config merged = new Config();
        merged.rules.putAll(current.rules);
        for (Draft b : base.rules.values()) {
            if (disabled.contains(b.id)) {
                continue;
            }
            Draft cur = merged.rules.get(b.id);
            merged.rules.put(b.id, cur == null ? b : b.overriddenBy(cur));
        }
        merged.allowlists.addAll(current.allowlists);
        merged.allowlists.addAll(base.allowlists);
        return merged;
    }

    private static Draft parseRule(JsonNode node, int index) {
        if (!node.isObject()) {
            throw usage(null, "rule #" + index + " is not a table");
        }
        if (!node.hasNonNull("id") || node.get("id").asText().isBlank()) {
            throw usage(null, "rule #" + index + " has no id");
        }
        String id = node.get("id").asText();
        String where = "rule '" + id + "'";
        checkKeys(node, RULE_KEYS, where, id);
        Draft d = new Draft(id);
        d.description = node.hasNonNull("description") ? node.get("description").asText() : null;
        if (node.hasNonNull("regex") && !node.get("regex").asText().isEmpty()) {
            d.regex = compile(node.get("regex").asText(), where, id);
        }
        if (node.hasNonNull("path") && !node.get("path").asText().isEmpty()) {
            d.path = compile(node.get("path").asText(), where + " path", id);
        }
        if (node.has("secretGroup")) {
            if (!node.get("secretGroup").canConvertToInt()) {
                throw usage(id, where + ": secretGroup must be an integer");
            }
            d.secretGroup = node.get("secretGroup").asInt();
        }
        if (node.has("entropy")) {
            if (!node.get("entropy").isNumber()) {
                throw usage(id, where + ": entropy must be a number");
            }
            d.entropy = node.get("entropy").asDouble();
        }
        d.keywords.addAll(strings(node, "keywords", where, id));
        d.tags.addAll(strings(node, "tags", where, id));
        if (node.has("allowlist")) {
            d.allowlists.add(parseAllowlist(node.get("allowlist"), where + " [rules.allowlist]", id, false));
        }
        for (JsonNode a : arrayOf(node, "allowlists", where, id)) {
            d.allowlists.add(parseAllowlist(a, where + " [[rules.allowlists]]", id, false));
        }
        // A rule without regex and path may still override a rule of an [extend]ed file; a rule that is
        // incomplete after merging fails when it is built.
        return d;
    }

    private static Allowlist parseAllowlist(JsonNode node, String where, String ruleId, boolean global) {
        if (!node.isObject()) {
            throw usage(ruleId, where + " is not a table");
        }
        Set<String> keys = new HashSet<>(ALLOWLIST_KEYS);
        if (global) {
            keys.add("targetRules");
        }
        checkKeys(node, keys, where, ruleId);
        Allowlist.Builder b = Allowlist.builder();
        if (node.hasNonNull("description")) {
            b.description(node.get("description").asText());
        }
        if (node.hasNonNull("condition")) {
            String cond = node.get("condition").asText().trim().toUpperCase(Locale.ROOT);
            if (!cond.equals("OR") && !cond.equals("AND")) {
                throw usage(ruleId, where + ": condition must be OR or AND");
            }
            b.condition(Allowlist.Condition.valueOf(cond));
        }
        if (node.hasNonNull("regexTarget")) {
            String t = node.get("regexTarget").asText().trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "secret":
                case "":
                    b.regexTarget(Allowlist.Target.SECRET);
                    break;
                case "match":
                    b.regexTarget(Allowlist.Target.MATCH);
                    break;
                case "line":
                    b.regexTarget(Allowlist.Target.LINE);
                    break;
                default:
                    throw usage(ruleId, where + ": regexTarget must be secret, match or line");
            }
        }
        for (String r : strings(node, "regexes", where, ruleId)) {
            b.regex(compile(r, where + " regex", ruleId));
        }
        for (String p : strings(node, "paths", where, ruleId)) {
            b.path(compile(p, where + " path", ruleId));
        }
        b.stopwords(strings(node, "stopwords", where, ruleId));
        b.commits(strings(node, "commits", where, ruleId));
        b.targetRules(strings(node, "targetRules", where, ruleId));
        Allowlist a = b.build();
        if (a.isEmpty()) {
            throw usage(ruleId, where + " must contain at least one of commits, paths, regexes or stopwords");
        }
        return a;
    }

    private static Pattern compile(String goRegex, String where, String ruleId) {
        String java;
        try {
            java = GoRegex.toJava(goRegex);
        } catch (UnsupportedRegexException e) {
            throw usage(ruleId, where + ": unsupported regex construct: " + e.getMessage());
        }
        try {
            return Pattern.compile(java, Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw usage(ruleId, where + ": regex does not compile: " + e.getDescription());
        }
    }

    private static void checkKeys(JsonNode node, Set<String> allowed, String where, String ruleId) {
        if (!node.isObject()) {
            throw usage(ruleId, where + " is not a table");
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!allowed.contains(k)) {
                String why = UNSUPPORTED_KEYS.getOrDefault(k, "unknown key '" + k + "'");
                throw usage(ruleId, where + ": " + why);
            }
        }
    }

    private static List<JsonNode> arrayOf(JsonNode node, String key, String where, String ruleId) {
        JsonNode v = node.get(key);
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw usage(ruleId, where + ": '" + key + "' must be an array of tables");
        }
        v.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode node, String key, String where, String ruleId) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw usage(ruleId, where + ": '" + key + "' must be an array of strings");
        }
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw usage(ruleId, where + ": '" + key + "' must be an array of strings");
            }
            out.add(e.asText());
        }
        return out;
    }

    private static MayflyException usage(String ruleId, String message) {
        MayflyError.Builder b = MayflyError.builder(ErrorCode.USAGE, message);
        if (ruleId != null) {
            b.detail("rule_id", ruleId);
        }
        return new MayflyException(b.build());
    }

    /** A parsed config before rules are built, so that [extend] can merge field by field. */
    private static final class Config {
        final Map<String, Draft> rules = new LinkedHashMap<>();
        final List<Allowlist> allowlists = new ArrayList<>();

        RuleSet toRuleSet() {
            List<Rule> built = new ArrayList<>();
            for (Draft d : rules.values()) {
                built.add(d.build());
            }
            Set<String> ids = new HashSet<>(rules.keySet());
            for (Allowlist a : allowlists) {
                for (String target : a.targetRules()) {
                    if (!ids.contains(target)) {
                        throw usage(target, "global allowlist targets unknown rule '" + target + "'");
                    }
                }
            }
            return RuleSet.of(built, allowlists);
        }
    }

    /** One rule's settings as read from TOML (or taken from a built-in rule for useDefault). */
    private static final class Draft {
        final String id;
        String description;
        Pattern regex;
        Pattern path;
        int secretGroup;
        double entropy;
        final Set<String> keywords = new LinkedHashSet<>();
        final List<String> tags = new ArrayList<>();
        final List<Allowlist> allowlists = new ArrayList<>();
        Rule builtin;

        Draft(String id) {
            this.id = id;
        }

        static Draft of(Rule r) {
            Draft d = new Draft(r.id());
            d.builtin = r;
            return d;
        }

        /** gitleaks' [extend] merge: the extending rule's set fields win; lists are appended. */
        Draft overriddenBy(Draft cur) {
            Draft m = new Draft(id);
            m.builtin = builtin;
            m.description = cur.description != null ? cur.description : description;
            m.regex = cur.regex != null ? cur.regex : regex;
            m.path = cur.path != null ? cur.path : path;
            m.secretGroup = cur.secretGroup != 0 ? cur.secretGroup : secretGroup;
            m.entropy = cur.entropy != 0 ? cur.entropy : entropy;
            m.keywords.addAll(keywords);
            m.keywords.addAll(cur.keywords);
            m.tags.addAll(tags);
            m.tags.addAll(cur.tags);
            m.allowlists.addAll(allowlists);
            m.allowlists.addAll(cur.allowlists);
            return m;
        }

        Rule build() {
            Rule.Builder b;
            if (builtin != null) {
                b = builtin.toBuilder();
                if (description != null) {
                    b.description(description);
                }
                if (regex != null) {
                    b.regex(regex);
                }
                if (path != null) {
                    b.path(path);
                }
                if (secretGroup != 0) {
                    b.secretGroup(secretGroup);
                }
                if (entropy != 0) {
                    b.entropy(entropy);
                }
            } else {
                b = Rule.builder(id).description(description).regex(regex).path(path)
                        .secretGroup(secretGroup).entropy(entropy);
                if (id.startsWith("generic") && entropy > 0) {
                    // gitleaks: a generic rule with an entropy floor also requires a digit in the secret.
                    b.check(c -> c.secret().chars().anyMatch(Character::isDigit));
                }
            }
            b.keywords(keywords).tags(tags);
            for (Allowlist a : allowlists) {
                b.allowlist(a);
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw usage(id, e.getMessage());
            }
        }
    }
}

package dev.mayfly.scanner.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One detection rule, gitleaks-shaped: an id, a regex (java.util.regex syntax) whose {@code secretGroup}
 * is the secret, an optional entropy floor, keywords, a path regex, allowlists, plus Mayfly's additions: a
 * {@link SecretCheck} (checksum, structure, placeholder filter), the secret's {@code kind}, and whether
 * the rule is {@code generic} (a generic finding yields to a specific one over the same text).
 *
 * <p>At build time the rule derives its prefilter {@link #anchors()}: the literals every match starts
 * with when the regex has such a prefix (then the regex runs anchored at each occurrence), otherwise
 * literals every match contains plus the keywords (then the regex searches a window of
 * {@link #maxLength()} around each occurrence). Immutable and thread-safe.
 */
public final class Rule {
    /** Window for a regex whose matches have no upper length bound. */
    public static final int DEFAULT_UNBOUNDED_LENGTH = 1024;
    /** The longest window a rule may ask for. */
    public static final int MAX_LENGTH = 16 * 1024;

    private final String id;
    private final String description;
    private final String kind;
    private final Pattern regex;
    private final int secretGroup;
    private final double entropy;
    private final List<String> keywords;
    private final Pattern path;
    private final List<String> tags;
    private final List<Allowlist> allowlists;
    private final SecretCheck check;
    private final boolean generic;
    private final Set<String> anchors;
    private final boolean anchoredAtStart;
    private final int maxLength;
    private final int requestedMaxLength;

    private Rule(Builder b) {
        this.id = b.id;
        this.description = b.description == null ? b.id : b.description;
        this.kind = b.kind == null ? b.id.replace('-', '_') : b.kind;
        this.regex = b.regex;
        this.secretGroup = b.secretGroup;
        this.entropy = b.entropy;
        this.keywords = List.copyOf(b.keywords);
        this.path = b.path;
        this.tags = List.copyOf(b.tags);
        this.allowlists = List.copyOf(b.allowlists);
        this.check = b.check;
        this.generic = b.generic;
        this.requestedMaxLength = b.maxLength;
        if (regex != null) {
            // Flags that change how the pattern text reads make its literals unknowable from the text.
            boolean opaque = (regex.flags() & (Pattern.COMMENTS | Pattern.LITERAL)) != 0;
            RegexFacts facts = opaque ? RegexFacts.NONE : LiteralExtractor.analyze(regex.pattern());
            Set<String> a = new LinkedHashSet<>(facts.anchors);
            // Literals every match starts with are the tightest prefilter; otherwise keywords help.
            this.anchoredAtStart = facts.prefixes;
            if (!facts.prefixes) {
                for (String k : keywords) {
                    if (k.length() >= 2) {
                        a.add(k);
                    }
                }
            }
            this.anchors = Set.copyOf(a);
            int computed = facts.maxLength == RegexFacts.UNBOUNDED ? DEFAULT_UNBOUNDED_LENGTH : facts.maxLength;
            this.maxLength = Math.min(MAX_LENGTH, b.maxLength > 0 ? b.maxLength : Math.max(computed, 1));
        } else {
            this.anchors = Set.of();
            this.anchoredAtStart = false;
            this.maxLength = 0;
        }
    }

    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A builder holding this rule's settings, for deriving a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(id).description(description).kind(kind).secretGroup(secretGroup).entropy(entropy)
                .keywords(keywords).tags(tags).check(check).generic(generic).maxLength(requestedMaxLength);
        b.regex = regex;
        b.path = path;
        b.allowlists.addAll(allowlists);
        return b;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** What the secret is, e.g. {@code mayfly_refresh_token}, {@code github_pat}; defaults to the id. */
    public String kind() {
        return kind;
    }

    /** Empty for a path-only rule, which reports files by name. */
    public Optional<Pattern> regex() {
        return Optional.ofNullable(regex);
    }

    public int secretGroup() {
        return secretGroup;
    }

    /** Minimum Shannon entropy (bits per char) of the secret; 0 for none. */
    public double entropy() {
        return entropy;
    }

    public List<String> keywords() {
        return keywords;
    }

    public Optional<Pattern> path() {
        return Optional.ofNullable(path);
    }

    public List<String> tags() {
        return tags;
    }

    public List<Allowlist> allowlists() {
        return allowlists;
    }

    public boolean generic() {
        return generic;
    }

    /**
     * Lower-case literals the prefilter looks for; the regex runs only around their occurrences. Empty when
     * none could be derived: then the regex runs over the whole input.
     */
    public Set<String> anchors() {
        return anchors;
    }

    /**
     * True when every match starts with one of the {@link #anchors()}: the regex then runs once, anchored,
     * at each anchor occurrence. Otherwise it searches a window of {@link #maxLength()} on both sides.
     */
    public boolean anchoredAtStart() {
        return anchoredAtStart;
    }

    /** How far before and after an anchor hit the regex may look. */
    public int maxLength() {
        return maxLength;
    }

    public boolean pathOnly() {
        return regex == null;
    }

    /** True when the path (with {@code /} separators) is one this rule applies to. */
    public boolean appliesToPath(String p) {
        return path == null || path.matcher(p == null ? "" : p).find();
    }

    /** The rule's own verdict on a match: entropy floor, its allowlists, then its check. */
    public boolean accepts(Candidate c) {
        if (entropy > 0 && c.entropy() <= entropy) {
            return false;
        }
        for (Allowlist a : allowlists) {
            if (a.allows(c)) {
                return false;
            }
        }
        return check.accepts(c);
    }

    /**
     * Why the rule refuses a match, or {@code null} when {@link #accepts} would accept it: the entropy
     * floor, an allowlist, then the check's own {@link SecretCheck#refusal}. Never quotes the secret.
     */
    public String refusal(Candidate c) {
        if (entropy > 0 && c.entropy() <= entropy) {
            return String.format(java.util.Locale.ROOT, "entropy %.2f not above the rule's %.2f", c.entropy(), entropy);
        }
        for (Allowlist a : allowlists) {
            if (a.allows(c)) {
                return "allowlisted by the rule" + (a.description() == null || a.description().isEmpty() ? "" : ": " + a.description());
            }
        }
        return check.refusal(c);
    }

    @Override
    public String toString() {
        return "Rule[" + id + "]";
    }

    /** Builder for {@link Rule}; not thread-safe. */
    public static final class Builder {
        private final String id;
        private String description;
        private String kind;
        private Pattern regex;
        private int secretGroup;
        private double entropy;
        private final List<String> keywords = new ArrayList<>();
        private Pattern path;
        private final List<String> tags = new ArrayList<>();
        private final List<Allowlist> allowlists = new ArrayList<>();
        private SecretCheck check = SecretCheck.any();
        private boolean generic;
        private int maxLength;

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        /** A java.util.regex pattern (for Go RE2 syntax use {@link GitleaksRules}). */
        public Builder regex(String javaRegex) {
            this.regex = Pattern.compile(javaRegex);
            return this;
        }

        public Builder regex(Pattern pattern) {
            this.regex = pattern;
            return this;
        }

        public Builder secretGroup(int secretGroup) {
            this.secretGroup = secretGroup;
            return this;
        }

        public Builder entropy(double entropy) {
            this.entropy = entropy;
            return this;
        }

        public Builder keywords(Collection<String> words) {
            for (String w : words) {
                keywords.add(w.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder path(Pattern path) {
            this.path = path;
            return this;
        }

        public Builder tags(Collection<String> t) {
            tags.addAll(t);
            return this;
        }

        public Builder allowlist(Allowlist allowlist) {
            allowlists.add(Objects.requireNonNull(allowlist, "allowlist"));
            return this;
        }

        public Builder check(SecretCheck check) {
            this.check = Objects.requireNonNull(check, "check");
            return this;
        }

        public Builder generic(boolean generic) {
            this.generic = generic;
            return this;
        }

        /** Overrides the window derived from the regex (capped at {@link Rule#MAX_LENGTH}). */
        public Builder maxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** @throws IllegalArgumentException when the rule is incomplete; the message names the rule */
        public Rule build() {
            if (id.isBlank()) {
                throw new IllegalArgumentException("a rule needs an id");
            }
            if (regex == null && path == null) {
                throw new IllegalArgumentException("rule '" + id + "' needs a regex or a path");
            }
            if (regex != null && secretGroup > regex.matcher("").groupCount()) {
                throw new IllegalArgumentException("rule '" + id + "': secretGroup " + secretGroup
                        + " but the regex has only " + regex.matcher("").groupCount() + " groups");
            }
            if (secretGroup < 0 || entropy < 0) {
                throw new IllegalArgumentException("rule '" + id + "': secretGroup and entropy must not be negative");
            }
            return new Rule(this);
        }
    }
}

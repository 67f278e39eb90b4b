package dev.mayfly.scanner.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A gitleaks allowlist: matches that it allows are not reported. Criteria are {@code paths} (regexes over
 * the input path), {@code regexes} (over the secret, the whole match or the line, per {@link Target}) and
 * {@code stopwords} (case-insensitive substrings of the secret), combined with {@link Condition#OR} (any
 * criterion allows) or {@link Condition#AND} (every configured criterion must). {@code commits} are kept
 * for compatibility; the scanner reads files and streams, not git history, so a commit never matches.
 * A global allowlist may be limited to {@code targetRules}. Immutable and thread-safe.
 */
public final class Allowlist {
    /** How the criteria combine. */
    public enum Condition { OR, AND }

    /** What {@code regexes} are matched against. */
    public enum Target { SECRET, MATCH, LINE }

    private final String description;
    private final Condition condition;
    private final Target regexTarget;
    private final List<Pattern> regexes;
    private final List<String> stopwords;
    private final List<Pattern> paths;
    private final List<String> commits;
    private final Set<String> targetRules;

    private Allowlist(Builder b) {
        this.description = b.description;
        this.condition = b.condition;
        this.regexTarget = b.regexTarget;
        this.regexes = List.copyOf(b.regexes);
        this.stopwords = List.copyOf(b.stopwords);
        this.paths = List.copyOf(b.paths);
        this.commits = List.copyOf(b.commits);
        this.targetRules = Set.copyOf(b.targetRules);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String description() {
        return description;
    }

    public Condition condition() {
        return condition;
    }

    public Target regexTarget() {
        return regexTarget;
    }

    public List<Pattern> regexes() {
        return regexes;
    }

    public List<String> stopwords() {
        return stopwords;
    }

    public List<Pattern> paths() {
        return paths;
    }

    public List<String> commits() {
        return commits;
    }

    /** Rule ids this (global) allowlist is limited to; empty means every rule. */
    public Set<String> targetRules() {
        return targetRules;
    }

    public boolean isEmpty() {
        return regexes.isEmpty() && stopwords.isEmpty() && paths.isEmpty() && commits.isEmpty();
    }

    public boolean appliesTo(String ruleId) {
        return targetRules.isEmpty() || targetRules.contains(ruleId);
    }

    /** True when this allowlist allows (suppresses) the candidate. */
    public boolean allows(Candidate c) {
        if (isEmpty()) {
            return false;
        }
        if (condition == Condition.AND) {
            // No git history here, so a configured commit criterion is never met.
            return commits.isEmpty()
                    && (paths.isEmpty() || pathAllowed(c))
                    && (regexes.isEmpty() || regexAllowed(c))
                    && (stopwords.isEmpty() || containsStopword(c));
        }
        return (!paths.isEmpty() && pathAllowed(c))
                || (!regexes.isEmpty() && regexAllowed(c))
                || (!stopwords.isEmpty() && containsStopword(c));
    }

    private boolean pathAllowed(Candidate c) {
        for (Pattern p : paths) {
            if (p.matcher(c.path()).find()) {
                return true;
            }
        }
        return false;
    }

    private boolean regexAllowed(Candidate c) {
        String target;
        switch (regexTarget) {
            case MATCH:
                target = c.match();
                break;
            case LINE:
                target = c.line();
                break;
            default:
                target = c.secret();
        }
        for (Pattern p : regexes) {
            if (p.matcher(target).find()) {
                return true;
            }
        }
        return false;
    }

    private boolean containsStopword(Candidate c) {
        String secret = c.secret().toLowerCase(Locale.ROOT);
        for (String w : stopwords) {
            if (secret.contains(w)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Allowlist[" + (description == null ? "" : description) + "]";
    }

    /** Builder for {@link Allowlist}; not thread-safe. */
    public static final class Builder {
        private String description;
        private Condition condition = Condition.OR;
        private Target regexTarget = Target.SECRET;
        private final List<Pattern> regexes = new ArrayList<>();
        private final List<String> stopwords = new ArrayList<>();
        private final List<Pattern> paths = new ArrayList<>();
        private final List<String> commits = new ArrayList<>();
        private final Set<String> targetRules = new LinkedHashSet<>();

        private Builder() {
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder condition(Condition condition) {
            this.condition = Objects.requireNonNull(condition, "condition");
            return this;
        }

        public Builder regexTarget(Target regexTarget) {
            this.regexTarget = Objects.requireNonNull(regexTarget, "regexTarget");
            return this;
        }

        public Builder regex(Pattern regex) {
            regexes.add(Objects.requireNonNull(regex, "regex"));
            return this;
        }

        public Builder stopwords(Collection<String> words) {
            for (String w : words) {
                stopwords.add(w.toLowerCase(Locale.ROOT));
            }
            return this;
        }

        public Builder path(Pattern path) {
            paths.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        public Builder commits(Collection<String> shas) {
            commits.addAll(shas);
            return this;
        }

        public Builder targetRules(Collection<String> ruleIds) {
            targetRules.addAll(ruleIds);
            return this;
        }

        public Allowlist build() {
            return new Allowlist(this);
        }
    }
}

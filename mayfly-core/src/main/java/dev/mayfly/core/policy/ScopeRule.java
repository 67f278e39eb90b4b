package dev.mayfly.core.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/** A scope pattern ({@code *} matches any run of characters, including {@code :}) and the tier it implies. */
public final class ScopeRule {
    private final String pattern;
    private final Tier tier;
    private final Pattern regex;

    public ScopeRule(String pattern, Tier tier) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.tier = Objects.requireNonNull(tier, "tier");
        this.regex = Pattern.compile(globToRegex(pattern));
    }

    private static String globToRegex(String glob) {
        String[] parts = glob.split("\\*", -1);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            if (!parts[i].isEmpty()) {
                re.append(Pattern.quote(parts[i]));
            }
        }
        return re.toString();
    }

    public boolean matches(String scope) {
        return regex.matcher(scope).matches();
    }

    public String pattern() {
        return pattern;
    }

    public Tier tier() {
        return tier;
    }

    @Override
    public String toString() {
        return pattern + " -> " + tier.wireName();
    }
}

package dev.mayfly.core.policy;

import java.util.Locale;

/** Privilege tiers, lowest first. A token's tier is the highest among its scopes; higher tiers live shorter. */
public enum Tier {
    LOW, STANDARD, HIGH, CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Tier parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown tier '" + s + "'; expected low, standard, high or critical");
        }
    }

    public Tier max(Tier other) {
        return compareTo(other) >= 0 ? this : other;
    }
}

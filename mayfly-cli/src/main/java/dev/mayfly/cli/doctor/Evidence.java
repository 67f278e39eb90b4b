package dev.mayfly.cli.doctor;

import java.util.LinkedHashMap;

/** An ordered evidence map that skips nulls: {@code Evidence.of().with("skew_ms", 12)}. Not thread-safe. */
final class Evidence extends LinkedHashMap<String, Object> {
    private static final long serialVersionUID = 1L;

    static Evidence of() {
        return new Evidence();
    }

    Evidence with(String key, Object value) {
        if (value != null) {
            put(key, value);
        }
        return this;
    }
}

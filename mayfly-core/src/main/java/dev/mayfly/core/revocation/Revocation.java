package dev.mayfly.core.revocation;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A revocation that covers a token: the answer of a {@link RevocationSource}.
 *
 * @param granularity what was revoked: one token, its session, its task, or its whole agent
 * @param reason      why, as recorded (free text, never a secret), or {@code null}
 */
public record Revocation(Granularity granularity, String reason) {
    public Revocation {
        Objects.requireNonNull(granularity, "granularity");
    }

    /**
     * What a revocation covers; it decides the reauth command (DESIGN §3.1). On the wire (the revocation
     * feed, the API, the store) each is its lower-case name.
     */
    public enum Granularity {
        TOKEN, SESSION, TASK, AGENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * The granularity with this wire name, or empty for one this build does not know (a newer broker may
         * add kinds; a reader skips what it cannot apply instead of failing on it).
         */
        public static Optional<Granularity> fromWire(String name) {
            if (name != null) {
                for (Granularity g : values()) {
                    if (g.wireName().equals(name)) {
                        return Optional.of(g);
                    }
                }
            }
            return Optional.empty();
        }
    }
}

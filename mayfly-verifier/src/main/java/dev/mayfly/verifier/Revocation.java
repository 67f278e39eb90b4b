package dev.mayfly.verifier;

import java.util.Locale;
import java.util.Objects;

/**
 * A revocation that covers a token.
 *
 * @param granularity what was revoked: one token, its session, its task, or its whole agent
 * @param reason      why, as recorded (free text, never a secret), or {@code null}
 */
public record Revocation(Granularity granularity, String reason) {
    public Revocation {
        Objects.requireNonNull(granularity, "granularity");
    }

    /** What a revocation covers; it decides the reauth command (DESIGN §3.1). */
    public enum Granularity {
        TOKEN, SESSION, TASK, AGENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

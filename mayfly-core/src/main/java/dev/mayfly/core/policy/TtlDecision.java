package dev.mayfly.core.policy;

import java.time.Duration;
import java.util.Locale;

/**
 * The lifetime policy granted for one token and why: which bound was the tightest.
 *
 * @param ttl   the lifetime granted, never longer than any bound
 * @param tier  the token's tier (highest among its scopes and its audience)
 * @param bound which limit decided the TTL
 */
public record TtlDecision(Duration ttl, Tier tier, Bound bound) {
    /** The limit that set a TTL. */
    public enum Bound {
        REQUESTED, TIER, AGENT_KIND, SESSION;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

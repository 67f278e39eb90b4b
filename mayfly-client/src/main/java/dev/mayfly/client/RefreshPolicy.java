package dev.mayfly.client;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a {@link TokenSource} replaces a token: at the broker's {@code refresh_after} plus a random share of
 * the lifetime, so that agents started together, or handed identical hints by a broker that does not
 * jitter, still spread their refreshes; never later than a fixed share of the lifetime, so that there is
 * time left to ride out a broker outage.
 *
 * <pre>
 * L       = lifetime (expires_in)
 * advised = refresh_after, when the broker sent one in (0, L); else L × U(fallbackFrom, fallbackTo)
 * refresh = min(advised + U(0, jitter × L), latest × L)
 * </pre>
 *
 * Defaults: {@code jitter = 0.1}, {@code latest = 0.9}, fallback window {@code 0.6–0.8} (the broker's own
 * window, DESIGN §3.4; Vault's LifetimeWatcher and SPIRE refresh in the same region). Immutable.
 */
public final class RefreshPolicy {
    private static final RefreshPolicy DEFAULTS = builder().build();

    private final double jitter;
    private final double latest;
    private final double fallbackFrom;
    private final double fallbackTo;

    private RefreshPolicy(Builder b) {
        this.jitter = b.jitter;
        this.latest = b.latest;
        this.fallbackFrom = b.fallbackFrom;
        this.fallbackTo = b.fallbackTo;
    }

    public static RefreshPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public double jitter() {
        return jitter;
    }

    public double latest() {
        return latest;
    }

    /**
     * When to refresh the token a token-endpoint {@code answer} carries: {@code from} (when the request left, or
     * when the answer was taken in) plus {@link #refreshDelay} on its {@code expires_in} and {@code refresh_after}.
     */
    public Instant refreshAt(Instant from, TokenResponse answer, RandomGenerator random) {
        return from.plus(refreshDelay(answer.expiresIn(), answer.refreshAfter(), random));
    }

    /**
     * How long after issue to refresh a token.
     *
     * @param lifetime     the token's lifetime ({@code expires_in})
     * @param refreshAfter the broker's {@code refresh_after}, or null when it sent none
     * @param random       the source of jitter (seeded in tests)
     */
    public Duration refreshDelay(Duration lifetime, Duration refreshAfter, RandomGenerator random) {
        double life = Math.max(0, lifetime.toMillis());
        double advised;
        if (refreshAfter != null && refreshAfter.toMillis() > 0 && refreshAfter.toMillis() < life) {
            advised = refreshAfter.toMillis();
        } else {
            advised = life * (fallbackFrom + (fallbackTo - fallbackFrom) * random.nextDouble());
        }
        double at = advised + (jitter > 0 ? jitter * life * random.nextDouble() : 0);
        at = Math.min(at, latest * life);
        return Duration.ofMillis(Math.max(0, Math.round(at)));
    }

    @Override
    public String toString() {
        return "RefreshPolicy[jitter=" + jitter + ", latest=" + latest + ", fallback=" + fallbackFrom + "-" + fallbackTo + "]";
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private double jitter = 0.1;
        private double latest = 0.9;
        private double fallbackFrom = 0.6;
        private double fallbackTo = 0.8;

        private Builder() {
        }

        /** The share of the lifetime added, uniformly at random, after {@code refresh_after}; 0 to 0.5. */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0 && jitter <= 0.5)) {
                throw new IllegalArgumentException("jitter must be within [0, 0.5]");
            }
            this.jitter = jitter;
            return this;
        }

        /** The latest refresh point as a share of the lifetime; (0, 1]. */
        public Builder latest(double latest) {
            if (!(latest > 0 && latest <= 1)) {
                throw new IllegalArgumentException("latest must be within (0, 1]");
            }
            this.latest = latest;
            return this;
        }

        /** Where to refresh when the broker gave no {@code refresh_after}: uniformly within [from, to] of the lifetime. */
        public Builder fallbackWindow(double from, double to) {
            if (!(from > 0 && from <= to && to < 1)) {
                throw new IllegalArgumentException("fallback window must satisfy 0 < from <= to < 1");
            }
            this.fallbackFrom = from;
            this.fallbackTo = to;
            return this;
        }

        public RefreshPolicy build() {
            return new RefreshPolicy(this);
        }
    }
}

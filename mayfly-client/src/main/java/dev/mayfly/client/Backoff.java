package dev.mayfly.client;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter for retries against an unreachable broker: before retry {@code n}
 * (1-based) wait {@code U(0, min(cap, base × 2^(n-1)))}, plus the server's {@code Retry-After} (capped at
 * {@code cap}) when it sent one, and at least 1 ms. Full jitter spreads a fleet that lost the broker at the
 * same moment instead of bringing it back in waves. Defaults: base 200 ms, cap 30 s. Immutable.
 */
public final class Backoff {
    private static final Duration MIN = Duration.ofMillis(1);
    private static final Backoff DEFAULTS = exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

    private final Duration base;
    private final Duration cap;

    private Backoff(Duration base, Duration cap) {
        this.base = base;
        this.cap = cap;
    }

    public static Backoff defaults() {
        return DEFAULTS;
    }

    /** Full-jitter exponential backoff from {@code base}, each delay's ceiling capped at {@code cap}. */
    public static Backoff exponential(Duration base, Duration cap) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        return new Backoff(base, cap);
    }

    public Duration base() {
        return base;
    }

    public Duration cap() {
        return cap;
    }

    /** The ceiling of the jittered delay before retry {@code attempt} (1-based): {@code min(cap, base × 2^(attempt-1))}. */
    public Duration ceiling(int attempt) {
        int doublings = Math.max(0, attempt - 1);
        if (doublings >= 40) {
            return cap;
        }
        long nanos = base.toNanos();
        long ceiling = nanos > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : nanos << doublings;
        return ceiling > cap.toNanos() ? cap : Duration.ofNanos(ceiling);
    }

    /**
     * The delay before retry {@code attempt} (1-based).
     *
     * @param retryAfter what the server asked for, or null
     */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        long jittered = (long) (ceiling(attempt).toNanos() * random.nextDouble());
        long floor = retryAfter == null || retryAfter.isNegative() ? 0 : Math.min(retryAfter.toNanos(), cap.toNanos());
        Duration d = Duration.ofNanos(floor + jittered);
        return d.compareTo(MIN) < 0 ? MIN : d;
    }

    @Override
    public String toString() {
        return "Backoff[full jitter, base=" + base + ", cap=" + cap + "]";
    }
}

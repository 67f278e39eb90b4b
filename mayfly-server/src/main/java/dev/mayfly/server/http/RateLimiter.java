package dev.mayfly.server.http;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per key (a client address, a client id): {@code burst} requests at once, refilled at
 * {@code perSecond}. Over the limit is {@code RATE_LIMITED} with {@code retry_after_ms}. Time from the
 * injected clock; buckets idle for a minute are forgotten. Thread-safe.
 */
public final class RateLimiter {
    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastMillis;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }
    }

    public RateLimiter(double perSecond, int burst, Clock clock) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
    }

    /** Takes one request's token for {@code key}, or throws {@code RATE_LIMITED}. */
    public void acquire(String key, String what) {
        long waitMs = take(key);
        if (waitMs > 0) {
            throw limited(what, waitMs);
        }
    }

    /** Throws {@code RATE_LIMITED} when {@code key} has no token left, without taking one. */
    public void requireAvailable(String key, String what) {
        long now = clock.millis();
        Bucket b = buckets.get(key == null ? "?" : key);
        if (b == null) {
            return;
        }
        synchronized (b) {
            double tokens = Math.min(burst, b.tokens + (now - b.lastMillis) / 1000.0 * perSecond);
            if (tokens < 1) {
                throw limited(what, (long) Math.ceil((1 - tokens) / perSecond * 1000));
            }
        }
    }

    /** Takes a token if there is one; returns 0, or how long until one is available. */
    public long take(String key) {
        long now = clock.millis();
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(b -> now - b.lastMillis > 60_000);
        }
        Bucket b = buckets.computeIfAbsent(key == null ? "?" : key, k -> new Bucket(burst, now));
        long waitMs;
        synchronized (b) {
            b.tokens = Math.min(burst, b.tokens + (now - b.lastMillis) / 1000.0 * perSecond);
            b.lastMillis = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return 0;
            }
            waitMs = (long) Math.ceil((1 - b.tokens) / perSecond * 1000);
        }
        return Math.max(1, waitMs);
    }

    private static MayflyException limited(String what, long waitMs) {
        return new MayflyException(MayflyError.builder(ErrorCode.RATE_LIMITED, "Too many " + what + "; slow down.")
                .retryAfterMs(Math.max(1, waitMs))
                .build());
    }
}

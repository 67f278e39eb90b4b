package dev.mayfly.verifier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers signature-verified tokens by their exact text, so a token presented again skips parsing and
 * signature work. Bounded in size; an entry leaves when its token's {@code exp} plus leeway passes on the
 * injected clock (Caffeine reads time from a {@link Ticker} over that clock). The cache never decides
 * anything time-dependent: callers still check {@code nbf}, revocation, {@code exp} and scopes on every
 * call. Thread-safe.
 */
final class VerifiedTokenCache {
    private final Cache<String, VerifiedToken> cache;
    private final Clock clock;
    private final Duration leeway;

    VerifiedTokenCache(long maximumSize, Clock clock, Duration leeway) {
        this.clock = clock;
        this.leeway = leeway;
        this.cache = maximumSize <= 0 ? null : Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker(clock))
                .expireAfter(Expiry.creating((String token, VerifiedToken v) -> lifetime(v)))
                .build();
    }

    /** The verified token, or {@code null} when not cached (or the cache is disabled). */
    VerifiedToken get(String token) {
        return cache == null ? null : cache.getIfPresent(token);
    }

    void put(String token, VerifiedToken verified) {
        if (cache != null && lifetime(verified).compareTo(Duration.ZERO) > 0) {
            cache.put(token, verified);
        }
    }

    void invalidate(String token) {
        if (cache != null) {
            cache.invalidate(token);
        }
    }

    long size() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private Duration lifetime(VerifiedToken v) {
        Duration d = Duration.between(clock.instant(), v.claims().expiresAt().plus(leeway));
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Nanoseconds since the epoch on the injected clock; Caffeine only ever subtracts two readings. */
    private static Ticker ticker(Clock clock) {
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}

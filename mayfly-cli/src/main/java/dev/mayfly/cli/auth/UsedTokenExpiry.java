package dev.mayfly.cli.auth;

import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Fills a {@code CREDENTIALS_EXPIRED} error's {@code expired_at} from the token that was sent, when the
 * server did not say when: but only with an instant that has passed. A server that calls a token expired
 * while its {@code exp} lies ahead (clock skew, a replay with a token minted a moment ago) has not told us
 * when anything expired, and reporting the token's future {@code exp} as "expired at" would be false.
 * Stateless.
 */
final class UsedTokenExpiry {
    /** How far the broker's clock may run ahead of ours and still have called the token expired at its exp. */
    static final Duration SKEW = Duration.ofSeconds(30);

    private UsedTokenExpiry() {
    }

    static MayflyError fill(MayflyError error, AccessToken used, Clock clock) {
        if (error.code() != ErrorCode.CREDENTIALS_EXPIRED || error.expiredAt() != null || used == null) {
            return error;
        }
        Instant exp = used.expiresAt();
        if (exp == null || exp.isAfter(clock.instant().plus(SKEW))) {
            return error;
        }
        return error.toBuilder().expiredAt(exp).build();
    }
}

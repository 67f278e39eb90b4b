package dev.mayfly.cli.auth;

import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.cache.CacheLock;
import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CredentialCache;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.time.Instant;

/**
 * Refreshes a cached session at most once across every process sharing the cache. Under the cache lock it
 * re-reads the session and refreshes only if the access token is still the one the caller saw (or still
 * due): a caller that waited while another process refreshed takes that result instead of presenting the
 * already-rotated refresh token, which the broker would treat as reuse and answer by revoking the session.
 */
public final class SessionRefresher {
    private final CredentialCache cache;
    private final OAuthClient tokens;
    private final Clock clock;

    /** @param refreshedHere false when another invocation had already refreshed it */
    public record Outcome(CachedSession session, boolean refreshedHere) {
    }

    public SessionRefresher(CredentialCache cache, OAuthClient tokens, Clock clock) {
        this.cache = cache;
        this.tokens = tokens;
        this.clock = clock;
    }

    /**
     * @param observedFingerprint the access token the caller holds (the SHA-256 of its value), or
     *                            {@code null} to refresh whatever the cache holds ({@code auth refresh})
     */
    public Outcome refresh(String url, String observedFingerprint) {
        try (CacheLock lock = cache.lock()) {
            CachedSession s = cache.read(url).orElseThrow(() -> Credentials.notLoggedIn(url));
            Instant now = clock.instant();
            boolean changed = observedFingerprint != null && !s.accessToken().sha256Hex().equals(observedFingerprint);
            if (changed && !s.dueForRefresh(now)) {
                return new Outcome(s, false);
            }
            if (s.refreshToken() == null) {
                throw Credentials.notLoggedIn(url);
            }
            TokenResponse g;
            try {
                g = tokens.refresh(s.refreshToken());
            } catch (MayflyException e) {
                throw new MayflyException(whyRefreshFailed(e.error(), s), e);
            }
            CachedSession next = s.refreshedWith(g, clock.instant());
            cache.put(lock, next);
            return new Outcome(next, true);
        }
    }

    /** A refresh that fails for an auth reason means the session is over: only a new login recovers. */
    private static MayflyError whyRefreshFailed(MayflyError e, CachedSession s) {
        if (e.code() == ErrorCode.CREDENTIALS_EXPIRED) {
            return e.toBuilder()
                    .reauthCommand("mayfly auth login")
                    .expiredAt(e.expiredAt() != null ? e.expiredAt() : s.sessionExpiresAt())
                    .build();
        }
        if ((e.code() == ErrorCode.CREDENTIALS_REVOKED || e.code() == ErrorCode.CREDENTIALS_INVALID)
                && e.reauthCommand() != null) {
            return e.toBuilder().reauthCommand("mayfly auth login").build();
        }
        return e;
    }
}

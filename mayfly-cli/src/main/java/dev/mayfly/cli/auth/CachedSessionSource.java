package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CachedSessionStore;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.client.TokenSource;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The session {@code mayfly auth login} cached. Refreshes the access token once it is past the broker's
 * {@code refresh_after} (unless {@code --no-auto-refresh}), says so in {@code warnings} when the token had
 * actually expired, and keeps using a still-valid token through a broker outage.
 *
 * <p>Refreshing is the client library's: a fail-fast {@link TokenSource} whose {@code SessionStore} is the
 * credential cache ({@link CachedSessionStore}), so the refresh happens at most once across every process
 * sharing the cache, under its lock. The token source is made only when a refresh is needed.
 */
public final class CachedSessionSource implements CredentialSource {
    static final String REFRESH = "mayfly auth refresh";
    static final String LOGIN = "mayfly auth login";

    private final String url;
    private final CachedSessionStore store;
    private final Supplier<TokenSource> tokenSource;
    private final Clock clock;
    private final boolean autoRefresh;
    private CachedSession session;
    private TokenSource tokens;

    CachedSessionSource(String url, CachedSession session, CachedSessionStore store, Supplier<TokenSource> tokenSource,
                        Clock clock, boolean autoRefresh) {
        this.url = url;
        this.session = session;
        this.store = store;
        this.tokenSource = tokenSource;
        this.clock = clock;
        this.autoRefresh = autoRefresh;
    }

    @Override
    public String kind() {
        return "cache";
    }

    public CachedSession session() {
        return session;
    }

    @Override
    public synchronized AccessToken token(Output out) {
        Instant now = clock.instant();
        if (autoRefresh && session.dueForRefresh(now)) {
            boolean expired = session.expired(now);
            Instant expiredAt = session.expiresAt();
            try {
                current();
                if (expired && store.savedHere()) {
                    out.warn("Access token expired at " + expiredAt + "; refreshed it automatically ("
                            + REFRESH + "). Session " + session.sessionId() + " ends at " + session.sessionExpiresAt() + ".");
                }
            } catch (MayflyException e) {
                if (expired || e.code().isAuth()) {
                    throw e;
                }
                // Refreshing early is an optimisation: a broker outage must not fail a call the token still covers.
                out.warn("Could not refresh ahead of expiry (" + e.code() + "); using the current token, valid until "
                        + session.expiresAt() + ".");
            }
        }
        return session.access();
    }

    @Override
    public synchronized Optional<AccessToken> renew(AccessToken rejected, Output out) {
        if (!autoRefresh) {
            return Optional.empty();
        }
        renewAfterRejection(rejected);
        out.warn("The server said the access token had expired; "
                + (store.savedHere() ? "refreshed it" : "took the one another invocation had just refreshed")
                + " and retried once.");
        return Optional.of(session.access());
    }

    /**
     * With auto-refresh, task tokens come from this source's own token source, the one that renews the session in
     * the cache under its lock, so one invocation holds one session slot, not two over the same cache.
     */
    @Override
    public synchronized TokenSource taskTokens(CliContext ctx, String url, Output out) {
        return autoRefresh ? tokens() : CredentialSource.super.taskTokens(ctx, url, out);
    }

    /** {@code mayfly auth refresh}: rotates the session now, unless this invocation has just done so. */
    public synchronized CachedSession refreshNow() {
        AccessToken held = current();
        if (!store.savedHere()) {
            renewAfterRejection(held);
        }
        return session;
    }

    /** The session's token from the token source: the cached one, or its renewal if due (this one's or another's). */
    private AccessToken current() {
        if (session.refreshToken() == null) {
            throw Credentials.notLoggedIn(url);
        }
        try {
            AccessToken t = tokens().sessionToken();
            reread();
            return t;
        } catch (MayflyException e) {
            throw new MayflyException(whyRefreshFailed(e.error(), session), e);
        }
    }

    /**
     * A server rejected {@code rejected}: refresh it, unless the cache already holds a newer token another
     * invocation refreshed (then that one is taken).
     */
    private void renewAfterRejection(AccessToken rejected) {
        AccessToken held = current();
        if (held.value().matches(rejected.value())) {
            try {
                tokens().refresh(held);
            } catch (MayflyException e) {
                throw new MayflyException(whyRefreshFailed(e.error(), session), e);
            }
            reread();
        }
    }

    private TokenSource tokens() {
        if (tokens == null) {
            tokens = tokenSource.get();
        }
        return tokens;
    }

    private void reread() {
        session = store.read().orElseThrow(() -> Credentials.notLoggedIn(url));
    }

    /** A refresh that fails for an auth reason means the session is over: only a new login recovers. */
    private static MayflyError whyRefreshFailed(MayflyError e, CachedSession s) {
        if (e.code() == ErrorCode.CREDENTIALS_EXPIRED) {
            return e.toBuilder()
                    .reauthCommand(LOGIN)
                    .expiredAt(e.expiredAt() != null ? e.expiredAt() : s.sessionExpiresAt())
                    .build();
        }
        if ((e.code() == ErrorCode.CREDENTIALS_REVOKED || e.code() == ErrorCode.CREDENTIALS_INVALID)
                && e.reauthCommand() != null) {
            return e.toBuilder().reauthCommand(LOGIN).build();
        }
        if (e.code() == ErrorCode.CREDENTIALS_MISSING) {
            return Credentials.notLoggedIn(s.url()).error();
        }
        return e;
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        if (error.code() != ErrorCode.CREDENTIALS_EXPIRED) {
            return error;
        }
        String reauth = LOGIN.equals(error.reauthCommand()) || session.sessionOver(clock.instant()) ? LOGIN : REFRESH;
        return UsedTokenExpiry.fill(error.toBuilder().reauthCommand(reauth).build(), used, clock);
    }

    @Override
    public synchronized void close() {
        if (tokens != null) {
            tokens.close();
        }
    }
}

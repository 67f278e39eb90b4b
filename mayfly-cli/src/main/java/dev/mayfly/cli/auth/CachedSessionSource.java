package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The session {@code mayfly auth login} cached. Refreshes the access token once it is past the broker's
 * {@code refresh_after} (unless {@code --no-auto-refresh}), says so in {@code warnings} when the token had
 * actually expired, and keeps using a still-valid token through a broker outage.
 */
public final class CachedSessionSource implements CredentialSource {
    static final String REFRESH = "mayfly auth refresh";
    static final String LOGIN = "mayfly auth login";

    private final String url;
    private final SessionRefresher refresher;
    private final Clock clock;
    private final boolean autoRefresh;
    private CachedSession session;

    CachedSessionSource(String url, CachedSession session, SessionRefresher refresher, Clock clock, boolean autoRefresh) {
        this.url = url;
        this.session = session;
        this.refresher = refresher;
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

    public SessionRefresher refresher() {
        return refresher;
    }

    @Override
    public synchronized AccessToken token(Output out) {
        Instant now = clock.instant();
        if (autoRefresh && session.dueForRefresh(now)) {
            boolean expired = session.expired(now);
            Instant expiredAt = session.expiresAt();
            try {
                SessionRefresher.Outcome o = refresher.refresh(url, session.accessToken().sha256Hex());
                session = o.session();
                if (expired && o.refreshedHere()) {
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
        SessionRefresher.Outcome o = refresher.refresh(url, rejected.value().sha256Hex());
        session = o.session();
        out.warn("The server said the access token had expired; "
                + (o.refreshedHere() ? "refreshed it" : "took the one another invocation had just refreshed")
                + " and retried once.");
        return Optional.of(session.access());
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        if (error.code() != ErrorCode.CREDENTIALS_EXPIRED) {
            return error;
        }
        String reauth = LOGIN.equals(error.reauthCommand()) || session.sessionOver(clock.instant()) ? LOGIN : REFRESH;
        return error.toBuilder()
                .reauthCommand(reauth)
                .expiredAt(error.expiredAt() != null ? error.expiredAt() : used.expiresAt())
                .build();
    }
}

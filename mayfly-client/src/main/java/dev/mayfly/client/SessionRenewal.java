package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps the session: rotates its refresh token (RFC 6749 §6), and logs in again with the client
 * credentials (RFC 6749 §4.4) when the session is over, ending soon, or in doubt:
 *
 * <ul>
 *   <li>the broker says the session expired ({@code invalid_grant} + {@code CREDENTIALS_EXPIRED}) or the
 *       refresh token is unknown ({@code CREDENTIALS_INVALID});</li>
 *   <li>less than half a token lifetime is left of the session, so tokens would shrink toward its end;</li>
 *   <li>a refresh may have reached the broker without its answer reaching us: the token was probably
 *       rotated, and presenting it again would be reuse, which revokes the whole session.</li>
 * </ul>
 *
 * Revocation ({@code CREDENTIALS_REVOKED}: reuse, logout, a disabled agent) and a refused login are
 * permanent: no retry loop. Without client credentials every one of those cases is permanent too.
 * With a {@link SessionStore} every renewal happens under the store's lock: the stored session is read
 * again first, and when its access token is no longer the one this source last held and is not yet due, another
 * process has just renewed it and that result is taken as it is; otherwise the stored refresh token is used and
 * the result saved before the lock is released. A stored session without a refresh token, in a source without
 * client credentials, is taken as it is: whoever stored it renews it, and a rejection of it stands.
 *
 * Thread-safe; renewals of the session are single-flight by construction (one {@link TokenSlot}).
 */
final class SessionRenewal implements TokenSlot.Renewal {
    private static final System.Logger LOG = System.getLogger("dev.mayfly.client");

    private final TokenEndpoint endpoint;
    private final SourceContext ctx;
    private final List<String> scopes;
    private final Duration ttl;
    private final ReentrantLock lock = new ReentrantLock();
    private Secret refreshToken;
    private Instant sessionExpiresAt;
    private Duration fullLifetime;
    private boolean refreshSpent;
    private final SessionStore store;
    /** The access token this source last held (adopted, taken from the store, or renewed), for the store check. */
    private Secret lastHeld;

    SessionRenewal(TokenEndpoint endpoint, SourceContext ctx, List<String> scopes, Duration ttl) {
        this(endpoint, ctx, scopes, ttl, null);
    }

    SessionRenewal(TokenEndpoint endpoint, SourceContext ctx, List<String> scopes, Duration ttl, SessionStore store) {
        this.endpoint = endpoint;
        this.ctx = ctx;
        this.scopes = List.copyOf(scopes);
        this.ttl = ttl;
        this.store = store;
    }

    /** The stored session's access token, with the store's expiry and refresh point; null when none is stored. */
    AccessToken adoptStored() {
        SessionStore.Session s;
        try (SessionStore.Locked l = store.lock()) {
            s = l.load().orElse(null);
        }
        return s == null ? null : fromStore(s);
    }

    private AccessToken fromStore(SessionStore.Session s) {
        UnverifiedJwt p = UnverifiedJwt.read(s.accessToken().reveal()).orElse(null);
        Instant exp = s.expiresAt();
        Instant claimedIat = p == null ? null : p.issuedAt();
        Instant iat = claimedIat == null || claimedIat.isAfter(exp) ? exp : claimedIat;
        lock.lock();
        try {
            refreshToken = s.refreshToken().orElse(null);
            sessionExpiresAt = s.sessionExpiresAt().orElse(null);
            fullLifetime = Duration.between(iat, exp);
            refreshSpent = false;
            lastHeld = s.accessToken();
        } finally {
            lock.unlock();
        }
        return new AccessToken(s.accessToken(), "Bearer", iat, exp, s.refreshAt(), p == null ? List.of() : p.scopes(),
                p == null ? List.of() : p.audience(), p == null ? null : p.sessionId(), null, p == null ? null : p.tier(),
                TokenRequest.session());
    }

    /** Takes over a session obtained elsewhere; returns its access token, with a refresh point. */
    AccessToken adopt(Secret accessToken, Secret refresh) {
        UnverifiedJwt p = UnverifiedJwt.read(accessToken.reveal()).orElse(null);
        Instant now = ctx.now();
        Instant exp = p == null || p.expiresAt() == null ? now : p.expiresAt();
        Instant claimedIat = p == null ? null : p.issuedAt();
        Instant iat = claimedIat == null || claimedIat.isAfter(now) ? (exp.isBefore(now) ? exp : now) : claimedIat;
        Duration life = Duration.between(iat, exp).isNegative() ? Duration.ZERO : Duration.between(iat, exp);
        Instant refreshAt = iat.plus(ctx.refreshPolicy.refreshDelay(life, null, ctx.lockedRandom()));
        lock.lock();
        try {
            refreshToken = refresh;
            fullLifetime = life;
            lastHeld = accessToken;
        } finally {
            lock.unlock();
        }
        return new AccessToken(accessToken, "Bearer", iat, exp, refreshAt, p == null ? List.of() : p.scopes(),
                p == null ? List.of() : p.audience(), p == null ? null : p.sessionId(), null, null, TokenRequest.session());
    }

    /** The current refresh token, for revocation on close; null before the first login. */
    Secret refreshToken() {
        lock.lock();
        try {
            return refreshToken;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public AccessToken renew(TokenSlot slot) throws RenewalException {
        if (store == null) {
            return renewHeld();
        }
        SessionStore.Locked l;
        try {
            l = store.lock();
        } catch (MayflyException e) {
            throw RenewalException.retryable("session store: " + e.getMessage(), null, e, e.error());
        }
        try (l) {
            SessionStore.Session s = l.load().orElse(null);
            Secret held;
            lock.lock();
            try {
                held = lastHeld;
            } finally {
                lock.unlock();
            }
            Instant now = ctx.now();
            if (s != null && held != null && !s.accessToken().matches(held) && now.isBefore(s.refreshAt())) {
                LOG.log(Level.DEBUG, "mayfly-client: the stored session was renewed elsewhere; taking it");
                return fromStore(s);
            }
            if (s != null) {
                lock.lock();
                try {
                    refreshToken = s.refreshToken().orElse(null);
                    sessionExpiresAt = s.sessionExpiresAt().orElse(sessionExpiresAt);
                } finally {
                    lock.unlock();
                }
                if (s.refreshToken().isEmpty() && !endpoint.hasClientCredentials()) {
                    // Nothing here can renew this session (a bare access token its owner keeps): take what the store holds.
                    return fromStore(s);
                }
            } else if (held != null && !endpoint.hasClientCredentials()) {
                throw RenewalException.permanent(MayflyError.builder(ErrorCode.CREDENTIALS_MISSING,
                        "The stored session is gone (logged out elsewhere).").reauthCommand("mayfly auth login").build());
            }
            AccessToken t = renewHeld();
            Secret rt;
            Instant ends;
            lock.lock();
            try {
                rt = refreshToken;
                ends = sessionExpiresAt;
                lastHeld = t.value();
            } finally {
                lock.unlock();
            }
            try {
                l.save(SessionStore.Session.of(t.value(), t.expiresAt(), t.refreshAt(), rt, ends));
            } catch (MayflyException e) {
                throw RenewalException.permanent(e.error());
            }
            return t;
        } catch (MayflyException e) {
            throw RenewalException.retryable("session store: " + e.getMessage(), null, e, e.error());
        }
    }

    private AccessToken renewHeld() throws RenewalException {
        Secret rt;
        boolean spent;
        Instant ends;
        Duration full;
        lock.lock();
        try {
            rt = refreshToken;
            spent = refreshSpent;
            ends = sessionExpiresAt;
            full = fullLifetime;
        } finally {
            lock.unlock();
        }
        Instant now = ctx.now();
        boolean canLogin = endpoint.hasClientCredentials();
        if (rt == null) {
            if (!canLogin) {
                throw RenewalException.permanent(MayflyError.builder(ErrorCode.CREDENTIALS_MISSING,
                        "No session and no client credentials to start one.").reauthCommand("mayfly auth login").build());
            }
            return login("no session yet");
        }
        boolean over = ends != null && !now.isBefore(ends);
        if (canLogin) {
            if (spent) {
                return login("the last refresh may have rotated the refresh token unseen");
            }
            if (over) {
                return login("the session expired");
            }
            if (ends != null && full != null && Duration.between(now, ends).compareTo(full.dividedBy(2)) < 0) {
                return login("the session ends in less than half a token lifetime");
            }
        } else if (over) {
            throw RenewalException.permanent(MayflyError.builder(ErrorCode.CREDENTIALS_EXPIRED,
                            "The session expired at " + ends + " and no client credentials were given to log in again.")
                    .expiredAt(ends).reauthCommand("mayfly auth login").build());
        }
        try {
            return stored(endpoint.refresh(rt, ttl), false);
        } catch (BrokerUnreachable u) {
            if (u.maybeProcessed() && canLogin) {
                lock.lock();
                try {
                    refreshSpent = true;
                } finally {
                    lock.unlock();
                }
            }
            throw RenewalException.retryable("refresh: " + u.getMessage(), u.retryAfter(), null, endpoint.reported(u, ctx.tlsHint));
        } catch (BrokerRejected r) {
            AuthFailure f = r.failure();
            if (canLogin && (f.kind() == AuthFailure.Kind.EXPIRED || f.kind() == AuthFailure.Kind.INVALID)) {
                return login("refresh answered " + f.code().orElse(f.kind().name()));
            }
            throw RenewalException.permanent(f, r.asSent());
        }
    }

    private AccessToken login(String why) throws RenewalException {
        LOG.log(refreshToken() == null ? Level.DEBUG : Level.INFO, "mayfly-client: logging in (" + why + ")");
        try {
            return stored(endpoint.login(scopes, ttl), true);
        } catch (BrokerUnreachable u) {
            throw RenewalException.retryable("log in: " + u.getMessage(), u.retryAfter(), null, endpoint.reported(u, ctx.tlsHint));
        } catch (BrokerRejected r) {
            throw RenewalException.permanent(r.failure(), r.asSent());
        }
    }

    private AccessToken stored(TokenResponse r, boolean login) {
        lock.lock();
        try {
            if (r.refreshToken() != null) {
                refreshToken = r.refreshToken();
            }
            if (r.sessionExpiresIn() != null) {
                sessionExpiresAt = r.sentAt().plus(r.sessionExpiresIn());
            }
            if (login || fullLifetime == null || fullLifetime.isZero()) {
                fullLifetime = r.expiresIn();
            }
            refreshSpent = false;
        } finally {
            lock.unlock();
        }
        return AccessToken.issued(r, TokenRequest.session(), ctx);
    }
}

package dev.mayfly.cli.cache;

import dev.mayfly.client.SessionStore;
import dev.mayfly.client.UnverifiedJwt;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The credential cache as the SDK's {@link SessionStore} for one broker URL: the token source reads and
 * renews the cached session under the {@link CacheLock}, so parallel invocations refresh one at a time and
 * never present the same refresh token twice. A save keeps what only the cache knows (client and agent ids)
 * and takes the rest from the new tokens. Remembers whether this invocation saved (refreshed) the session.
 */
public final class CachedSessionStore implements SessionStore {
    private final CredentialCache cache;
    private final String url;
    private final Clock clock;
    private volatile boolean savedHere;

    public CachedSessionStore(CredentialCache cache, String url, Clock clock) {
        this.cache = cache;
        this.url = url;
        this.clock = clock;
    }

    /** True once this invocation has renewed the session (and saved it); false if it took another's renewal. */
    public boolean savedHere() {
        return savedHere;
    }

    /** The cached session now (read without the lock: writes are atomic renames). */
    public Optional<CachedSession> read() {
        return cache.read(url);
    }

    @Override
    public Locked lock() {
        CacheLock held = cache.lock();
        return new Locked() {
            @Override
            public Optional<Session> load() {
                return cache.read(url).map(s -> Session.of(s.accessToken(), s.expiresAt(), s.refreshAfter(),
                        s.refreshToken(), s.sessionExpiresAt()));
            }

            @Override
            public void save(Session session) {
                CachedSession before = cache.read(url).orElseThrow(() -> new IllegalStateException("no cached session to renew"));
                cache.put(held, renewed(before, session, clock.instant()));
                savedHere = true;
            }

            @Override
            public void close() {
                held.close();
            }
        };
    }

    /** {@code s} after a renewal: new tokens and expiries, same client and agent. */
    static CachedSession renewed(CachedSession s, Session next, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        Optional<UnverifiedJwt> claims = UnverifiedJwt.read(next.accessToken().reveal());
        // The token's own exp when readable (the broker judges by it), else the source's expiry.
        Instant expiresAt = claims.map(UnverifiedJwt::expiresAt).orElse(next.expiresAt());
        String sessionId = claims.map(UnverifiedJwt::sessionId).orElse(s.sessionId());
        String tier = claims.map(UnverifiedJwt::tier).orElse(s.tier());
        var scopes = claims.map(UnverifiedJwt::scopes).filter(l -> !l.isEmpty()).orElse(s.scopes());
        return new CachedSession(s.url(), s.clientId(), s.agentId(), sessionId, next.accessToken(), expiresAt,
                next.refreshAt(), next.refreshToken().orElse(s.refreshToken()),
                next.sessionExpiresAt().map(t -> t.truncatedTo(ChronoUnit.SECONDS)).orElse(s.sessionExpiresAt()), scopes, tier, now,
                s.dpopKey()); // a renewal keeps the session's DPoP key: its refresh tokens stay bound to it
    }
}

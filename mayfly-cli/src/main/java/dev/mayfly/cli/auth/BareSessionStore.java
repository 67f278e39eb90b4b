package dev.mayfly.cli.auth;

import dev.mayfly.client.AccessToken;
import dev.mayfly.client.SessionStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A session the CLI holds but does not renew ({@code MAYFLY_TOKEN}, or the cache under
 * {@code --no-auto-refresh}), as the SDK's {@link SessionStore}: it holds one access token and no refresh
 * token, so the token source uses that token as the session until the broker rejects it, and then the
 * broker's answer stands (the SDK's rule for a session with nothing to renew it).
 */
final class BareSessionStore implements SessionStore {
    private final ReentrantLock lock = new ReentrantLock();
    private final Session session;

    BareSessionStore(AccessToken token, Instant now) {
        Instant expiresAt = token.expiresAt() != null ? token.expiresAt() : now;
        this.session = Session.of(token.value(), expiresAt, expiresAt, null, null);
    }

    @Override
    public Locked lock() {
        lock.lock();
        return new Locked() {
            @Override
            public Optional<Session> load() {
                return Optional.of(session);
            }

            @Override
            public void save(Session renewed) {
                // Never reached: with no refresh token and no client credentials the source renews nothing.
                throw new IllegalStateException("a bare session is not renewed");
            }

            @Override
            public void close() {
                lock.unlock();
            }
        };
    }
}

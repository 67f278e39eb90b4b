package dev.mayfly.client;

import dev.mayfly.core.secret.Secret;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link TokenSource} keeps its session when several processes share it (the {@code mayfly} CLI's
 * credential cache). The source takes the store's exclusive lock for every renewal of the session,
 * re-reads the stored session under it, and refreshes only if the stored access token is still the one it
 * last held (or is itself due): a process that waited while another refreshed takes that result instead of
 * presenting the already-rotated refresh token, which the broker would treat as reuse and answer by revoking
 * the whole session. What it gets it saves before it lets go of the lock.
 *
 * <p>An implementation locks across processes (a file lock, say) and across the threads of this one, and
 * writes atomically, so a reader never sees half a session.
 */
public interface SessionStore {
    /** Takes the store's exclusive lock, waiting a bounded time; throws a {@code MayflyException} when it cannot. */
    Locked lock();

    /** The store while its lock is held. */
    interface Locked extends AutoCloseable {
        /** The stored session; empty when there is none (never logged in, or logged out). */
        Optional<Session> load();

        /** Replaces the stored session. */
        void save(Session session);

        /** Releases the lock. */
        @Override
        void close();
    }

    /**
     * A stored session: its current access token, when that expires and is due for refresh, the refresh token
     * that rotates it, and when the session itself ends (null if unknown). Immutable; {@code toString} shows no
     * token.
     */
    final class Session {
        private final Secret accessToken;
        private final Instant expiresAt;
        private final Instant refreshAt;
        private final Secret refreshToken;
        private final Instant sessionExpiresAt;

        private Session(Secret accessToken, Instant expiresAt, Instant refreshAt, Secret refreshToken,
                        Instant sessionExpiresAt) {
            this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
            this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
            this.refreshAt = Objects.requireNonNull(refreshAt, "refreshAt");
            this.refreshToken = refreshToken;
            this.sessionExpiresAt = sessionExpiresAt;
        }

        /** @param refreshToken null when the session cannot be refreshed */
        public static Session of(Secret accessToken, Instant expiresAt, Instant refreshAt, Secret refreshToken,
                                 Instant sessionExpiresAt) {
            return new Session(accessToken, expiresAt, refreshAt, refreshToken, sessionExpiresAt);
        }

        public Secret accessToken() {
            return accessToken;
        }

        public Instant expiresAt() {
            return expiresAt;
        }

        public Instant refreshAt() {
            return refreshAt;
        }

        public Optional<Secret> refreshToken() {
            return Optional.ofNullable(refreshToken);
        }

        public Optional<Instant> sessionExpiresAt() {
            return Optional.ofNullable(sessionExpiresAt);
        }

        @Override
        public String toString() {
            return "SessionStore.Session[expiresAt=" + expiresAt + ", refreshAt=" + refreshAt
                    + ", sessionExpiresAt=" + sessionExpiresAt + ", tokens=redacted]";
        }
    }
}

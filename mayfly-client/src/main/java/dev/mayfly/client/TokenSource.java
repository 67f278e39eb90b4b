package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.token.Scopes;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * Always-fresh Mayfly tokens for an agent: the session token and per-task tokens, each refreshed ahead of
 * expiry at a jittered point at or after the broker's {@code refresh_after} ({@link RefreshPolicy}).
 *
 * <ul>
 *   <li><b>Single flight.</b> One renewal per token at a time; callers that need it wait for its result,
 *       while callers whose current token is still valid get that one without waiting.</li>
 *   <li><b>Outages.</b> While no broker answers, the current token is handed out until it really expires;
 *       renewal retries with exponential backoff and full jitter ({@link Backoff}, run by Failsafe), and
 *       tries every broker URL before backing off.</li>
 *   <li><b>Sessions.</b> With client credentials the source logs in, rotates the refresh token, and logs
 *       in again when the session expired or is about to. {@code CREDENTIALS_REVOKED} (reuse, logout,
 *       a disabled agent) and refused credentials are permanent: thrown to every caller, never retried.</li>
 * </ul>
 *
 * Callers get {@link AccessToken}s or {@link dev.mayfly.core.error.MayflyException}s (an
 * {@link AuthFailureException} when the broker refused; {@code UNAVAILABLE} when it could not be reached
 * and no valid token is left). The source contacts the broker on first use. Thread-safe; never holds a
 * lock across I/O, so it suits virtual threads.
 *
 * <pre>{@code
 * try (TokenSource tokens = TokenSource.builder()
 *         .broker(URI.create("http://127.0.0.1:8470"))
 *         .clientCredentials(clientId, Secret.of(System.getenv("MAYFLY_CLIENT_SECRET")))
 *         .revokeOnClose(true)
 *         .build()) {
 *     AccessToken t = tokens.token(TokenRequest.builder().audience("https://orders.example").scopes("orders:read").build());
 * }
 * }</pre>
 */
public interface TokenSource extends AutoCloseable {
    /** The token for {@code request}: the current one while valid, else a new one. */
    AccessToken token(TokenRequest request);

    /** The session token. */
    /** The DPoP key this source's tokens are bound to, when it was built with one ({@link Builder#dpop}). */
    default java.util.Optional<DpopKey> dpopKey() {
        return java.util.Optional.empty();
    }

    default AccessToken sessionToken() {
        return token(TokenRequest.session());
    }

    /**
     * A server rejected {@code rejected} as expired: get its replacement now. Concurrent calls for the same
     * token share one renewal; if it was already replaced, the replacement is returned at once.
     */
    AccessToken refresh(AccessToken rejected);

    /** Stops all renewals and, if so configured, revokes the session (RFC 7009). Idempotent. */
    @Override
    void close();

    static Builder builder() {
        return new Builder();
    }

    /** How the client authenticates at the token endpoint (RFC 6749 §2.3.1). */
    enum ClientAuthentication {
        /** HTTP Basic with the form-encoded id and secret ({@code client_secret_basic}). */
        BASIC,
        /** {@code client_id} and {@code client_secret} in the form body ({@code client_secret_post}). */
        POST
    }

    /** Builder for a {@link TokenSource}; not thread-safe. */
    final class Builder {
        private final List<URI> brokers = new ArrayList<>();
        private String clientId;
        private Secret clientSecret;
        private Secret sessionAccessToken;
        private Secret sessionRefreshToken;
        private final List<String> scopes = new ArrayList<>();
        private Duration sessionTtl;
        private ClientAuthentication clientAuthentication = ClientAuthentication.BASIC;
        private Clock clock = Clock.systemUTC();
        private Scheduler scheduler;
        private RandomGenerator random;
        private HttpClient httpClient;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration acquireTimeout = Duration.ofSeconds(10);
        private RefreshPolicy refreshPolicy = RefreshPolicy.defaults();
        private Backoff backoff = Backoff.defaults();
        private boolean revokeOnClose;
        private AuthFailureClassifier classifier;
        private SessionStore sessionStore;
        private boolean failFast;
        private String tlsHint;
        private java.util.function.Supplier<String> clientAssertion;
        private DpopKey dpop;

        private Builder() {
        }

        /**
         * Sender-constrained tokens (RFC 9449): every token request carries a proof by {@code key}, so the broker
         * binds the session, its refresh tokens and every task token to it ({@code token_type} {@code DPoP}), and
         * {@link AuthenticatedHttpClient} sends each request with {@code Authorization: DPoP} and a fresh proof.
         */
        public Builder dpop(DpopKey key) {
            this.dpop = Objects.requireNonNull(key, "key");
            return this;
        }

        /** Adds a broker base URL (e.g. {@code http://127.0.0.1:8470}); several are tried in turn on failure. */
        public Builder broker(URI base) {
            Objects.requireNonNull(base, "base");
            String s = base.toString().replaceAll("/+$", "");
            brokers.add(URI.create(s + "/"));
            return this;
        }

        public Builder brokers(List<URI> bases) {
            bases.forEach(this::broker);
            return this;
        }

        /** The agent's client credentials: the source logs in with them, and again whenever the session ends. */
        public Builder clientCredentials(String clientId, Secret clientSecret) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            this.clientAssertion = null;
            return this;
        }

        /**
         * Client authentication by JWT assertion (RFC 7523 §2.2) instead of a secret: the source logs in with a
         * fresh assertion from {@code clientAssertion} (a workload's federated token, or
         * {@link ClientAssertions#privateKeyJwt}) whenever it starts a session. Refreshes need none.
         */
        public Builder clientAssertion(String clientId, java.util.function.Supplier<String> clientAssertion) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientAssertion = Objects.requireNonNull(clientAssertion, "clientAssertion");
            this.clientSecret = null;
            return this;
        }

        /**
         * An existing session (from {@code mayfly auth login}): its access token and refresh token. Without
         * client credentials too, the source cannot start a new session when this one ends.
         */
        public Builder session(Secret accessToken, Secret refreshToken) {
            this.sessionAccessToken = Objects.requireNonNull(accessToken, "accessToken");
            this.sessionRefreshToken = Objects.requireNonNull(refreshToken, "refreshToken");
            return this;
        }

        /**
         * Keeps the session in {@code store}, shared with other processes: the source starts from the stored
         * session, and renews it only under the store's lock, after reading it again (another process may have
         * renewed it already: then that result is taken, since presenting a rotated refresh token again is reuse
         * and revokes the session), saving the result before the lock is released. See {@link SessionStore}.
         */
        public Builder sessionStore(SessionStore store) {
            this.sessionStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * For a tool that runs once and reports every failure itself (the {@code mayfly} command): nothing runs
         * in the background, a caller whose token is due for refresh waits for the renewal, every renewal is one
         * attempt, and its failure is thrown as classified: the broker's answer as it sent it, a failed TLS
         * handshake as {@code PRECONDITION}, no answer as {@code UNAVAILABLE} or {@code TIMEOUT}. Default false:
         * ride out outages with the current token and retries.
         */
        public Builder failFast(boolean failFast) {
            this.failFast = failFast;
            return this;
        }

        /** A sentence appended to a failed TLS handshake's message in fail-fast mode (what to set to fix it). */
        public Builder tlsHint(String hint) {
            this.tlsHint = hint;
            return this;
        }

        /** Narrows the session's scopes at login (default: all the agent's). */
        public Builder scopes(String... scopes) {
            for (String s : scopes) {
                if (!Scopes.isValidScopeToken(s)) {
                    throw new IllegalArgumentException("not a valid scope token: " + s);
                }
            }
            this.scopes.addAll(Arrays.asList(scopes));
            return this;
        }

        /** The lifetime to ask for session tokens (capped by the broker's policy). */
        public Builder sessionTtl(Duration ttl) {
            this.sessionTtl = ttl;
            return this;
        }

        public Builder clientAuthentication(ClientAuthentication method) {
            this.clientAuthentication = Objects.requireNonNull(method);
            return this;
        }

        /** The clock expiry and refresh points are measured on (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Runs refreshes and retries (default: {@link Scheduler#system()}, closed with the source). */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler);
            return this;
        }

        /** The source of jitter for refresh points and backoff (default: a new {@link Random}). */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient);
            return this;
        }

        /** Timeout of each request to one broker (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long a caller without a valid token may wait for a renewal that is backing off (default
         * 10 s). If the next attempt is further away, the caller gets {@code UNAVAILABLE} at once.
         */
        public Builder acquireTimeout(Duration timeout) {
            Objects.requireNonNull(timeout);
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("acquireTimeout must not be negative");
            }
            this.acquireTimeout = timeout;
            return this;
        }

        public Builder refreshPolicy(RefreshPolicy policy) {
            this.refreshPolicy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff);
            return this;
        }

        /** Revoke the session (its refresh token, RFC 7009) on {@link TokenSource#close()}: every token of it dies. */
        public Builder revokeOnClose(boolean revoke) {
            this.revokeOnClose = revoke;
            return this;
        }

        /** How broker error answers are read (default: {@link AuthFailureClassifier} on this clock). */
        public Builder classifier(AuthFailureClassifier classifier) {
            this.classifier = Objects.requireNonNull(classifier);
            return this;
        }

        public TokenSource build() {
            if (brokers.isEmpty()) {
                throw new IllegalStateException("at least one broker URL is required");
            }
            if (clientId == null && sessionAccessToken == null && sessionStore == null) {
                throw new IllegalStateException("client credentials, an existing session or a session store are required");
            }
            if (sessionStore != null && sessionAccessToken != null) {
                throw new IllegalStateException("a session store holds the session: do not give one too");
            }
            boolean ownsScheduler = scheduler == null;
            Scheduler s = ownsScheduler ? Scheduler.system() : scheduler;
            HttpClient http = httpClient != null ? httpClient
                    : HttpClient.newBuilder().connectTimeout(requestTimeout).version(HttpClient.Version.HTTP_1_1).build();
            AuthFailureClassifier c = classifier != null ? classifier : AuthFailureClassifier.builder().clock(clock).build();
            SourceContext ctx = new SourceContext(clock, s, refreshPolicy, backoff, random != null ? random : new Random(),
                    acquireTimeout, requestTimeout.multipliedBy(brokers.size()).plusSeconds(1), failFast, tlsHint);
            TokenEndpoint endpoint = new TokenEndpoint(brokers, http, requestTimeout, c, clock, clientId, clientSecret,
                    clientAuthentication == ClientAuthentication.BASIC, clientAssertion, dpop);
            SessionRenewal renewal = new SessionRenewal(endpoint, ctx, scopes, sessionTtl, sessionStore);
            AccessToken adopted = sessionStore != null ? renewal.adoptStored()
                    : sessionAccessToken == null ? null : renewal.adopt(sessionAccessToken, sessionRefreshToken);
            return new BrokerTokenSource(ctx, endpoint, renewal, adopted, revokeOnClose, ownsScheduler);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}

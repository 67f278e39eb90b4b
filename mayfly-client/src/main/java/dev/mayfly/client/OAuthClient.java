package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One broker's OAuth endpoints (at one URL or several nodes'), one call and one answer, for a tool that reports every failure itself
 * instead of riding it out (the {@code mayfly} command): {@code client_credentials}, {@code refresh_token},
 * token exchange and RFC 7009 revocation, through the same token endpoint as {@link TokenSource} but with
 * no retry, no schedule and no state. A refusal is thrown as the broker sent it (its {@code code},
 * {@code expired_at}, {@code reauth_command}...); no answer as {@code UNAVAILABLE}, {@code TIMEOUT}, or
 * {@code PRECONDITION} for a TLS handshake that failed. Thread-safe.
 */
public final class OAuthClient {
    private final List<URI> brokers;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final String tlsHint;
    private final TokenEndpoint anonymous;
    private final DpopKey dpop;

    private OAuthClient(List<URI> brokers, HttpClient http, Duration requestTimeout, Clock clock, String tlsHint, DpopKey dpop) {
        this.brokers = brokers;
        this.dpop = dpop;
        this.http = http;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.tlsHint = tlsHint;
        this.anonymous = endpoint(null, null);
    }

    /**
     * @param broker         the broker's base URL
     * @param http           the HTTP client (its TLS trust, its connect timeout; redirects should be off)
     * @param requestTimeout the deadline of each request
     * @param clock          the clock expiry is measured on
     * @param tlsHint        a sentence appended to a failed TLS handshake's message (what to set), or null
     */
    public static OAuthClient create(URI broker, HttpClient http, Duration requestTimeout, Clock clock, String tlsHint) {
        return create(List.of(Objects.requireNonNull(broker, "broker")), http, requestTimeout, clock, tlsHint);
    }

    /**
     * As {@link #create(URI, HttpClient, Duration, Clock, String)} for several nodes of one broker: each call
     * tries them as {@link TokenSource} does (starting with the last that answered; on no connection or a
     * 429/5xx the next; a refresh that may have reached a node is never resent to another).
     */
    public static OAuthClient create(List<URI> brokers, HttpClient http, Duration requestTimeout, Clock clock, String tlsHint) {
        if (brokers.isEmpty()) {
            throw new IllegalArgumentException("no broker URL");
        }
        List<URI> bases = brokers.stream().map(b -> URI.create(Objects.requireNonNull(b, "broker").toString()
                .replaceAll("/+$", "") + "/")).collect(java.util.stream.Collectors.toUnmodifiableList());
        return new OAuthClient(bases, Objects.requireNonNull(http), Objects.requireNonNull(requestTimeout),
                Objects.requireNonNull(clock), tlsHint, null);
    }

    /**
     * This client with every token request proving possession of {@code key} (RFC 9449 §5): what the broker issues
     * is bound to it ({@code token_type} {@code DPoP}); a bound refresh or subject token needs it. A demand for a
     * server nonce ({@code use_dpop_nonce}) is met by sending the request once more with the nonce.
     */
    public OAuthClient withDpop(DpopKey key) {
        return new OAuthClient(brokers, http, requestTimeout, clock, tlsHint, Objects.requireNonNull(key, "key"));
    }

    private TokenEndpoint endpoint(String clientId, Secret clientSecret) {
        return new TokenEndpoint(brokers, http, requestTimeout, AuthFailureClassifier.builder().clock(clock).build(),
                clock, clientId, clientSecret, true, null, dpop);
    }

    /** {@code client_credentials} with {@code client_secret_basic}: a new session. Null scopes: all the agent's. */
    public TokenResponse login(String clientId, Secret clientSecret, List<String> scopes, Duration ttl) {
        TokenEndpoint e = endpoint(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
        return once(() -> e.login(scopes == null ? List.of() : scopes, ttl));
    }

    /**
     * {@code client_credentials} authenticated by a JWT assertion (RFC 7523 §2.2): a federated workload token
     * or a {@code private_key_jwt} (see {@link ClientAssertions}). {@code clientAssertion} is asked once per
     * request and must give a fresh assertion each time (the broker refuses a reused {@code jti}).
     */
    public TokenResponse loginWithAssertion(String clientId, Supplier<String> clientAssertion, List<String> scopes,
                                            Duration ttl) {
        TokenEndpoint e = new TokenEndpoint(brokers, http, requestTimeout,
                AuthFailureClassifier.builder().clock(clock).build(), clock, Objects.requireNonNull(clientId), null, false,
                Objects.requireNonNull(clientAssertion), dpop);
        return once(() -> e.login(scopes == null ? List.of() : scopes, ttl));
    }

    /** Rotates the session's refresh token; the answer holds the next one. Sent once, never resent. */
    public TokenResponse refresh(Secret refreshToken) {
        return once(() -> anonymous.refresh(refreshToken, null));
    }

    /** RFC 8693 exchange of a session token for a task token; null parts are left to the broker. */
    public TokenResponse exchange(Secret subjectToken, List<String> scopes, List<String> audiences, String taskId,
                                  Duration ttl) {
        return once(() -> anonymous.exchange(subjectToken, scopes, audiences, taskId, ttl));
    }

    /** RFC 7009: an access token (its jti) or a refresh token (its whole session). */
    public void revoke(Secret token) {
        once(() -> {
            anonymous.revokeOrThrow(token);
            return null;
        });
    }

    /** One call to the token endpoint. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws BrokerUnreachable, BrokerRejected;
    }

    /**
     * Runs {@code call} and throws its failure as a {@link MayflyException}: a refusal as the broker sent it,
     * no answer as the token endpoint reports it ({@link TokenEndpoint#reported}).
     */
    private <T> T once(Call<T> call) {
        try {
            return call.run();
        } catch (BrokerUnreachable u) {
            throw new MayflyException(anonymous.reported(u, tlsHint), u.getCause());
        } catch (BrokerRejected r) {
            throw new MayflyException(r.asSent());
        }
    }

    @Override
    public String toString() {
        return "OAuthClient" + brokers;
    }
}

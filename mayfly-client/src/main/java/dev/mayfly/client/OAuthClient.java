package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One broker's OAuth endpoints, one call and one answer, for a tool that reports every failure itself
 * instead of riding it out (the {@code mayfly} command): {@code client_credentials}, {@code refresh_token},
 * token exchange and RFC 7009 revocation, through the same token endpoint as {@link TokenSource} but with
 * no retry, no schedule and no state. A refusal is thrown as the broker sent it (its {@code code},
 * {@code expired_at}, {@code reauth_command}...); no answer as {@code UNAVAILABLE}, {@code TIMEOUT}, or
 * {@code PRECONDITION} for a TLS handshake that failed. Thread-safe.
 */
public final class OAuthClient {
    private final URI broker;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Clock clock;
    private final String tlsHint;
    private final TokenEndpoint anonymous;

    private OAuthClient(URI broker, HttpClient http, Duration requestTimeout, Clock clock, String tlsHint) {
        this.broker = broker;
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
        String s = Objects.requireNonNull(broker, "broker").toString().replaceAll("/+$", "");
        return new OAuthClient(URI.create(s + "/"), Objects.requireNonNull(http), Objects.requireNonNull(requestTimeout),
                Objects.requireNonNull(clock), tlsHint);
    }

    private TokenEndpoint endpoint(String clientId, Secret clientSecret) {
        return new TokenEndpoint(List.of(broker), http, requestTimeout, AuthFailureClassifier.builder().clock(clock).build(),
                clock, clientId, clientSecret, true);
    }

    /** {@code client_credentials} with {@code client_secret_basic}: a new session. Null scopes: all the agent's. */
    public TokenResponse login(String clientId, Secret clientSecret, List<String> scopes, Duration ttl) {
        TokenEndpoint e = endpoint(Objects.requireNonNull(clientId), Objects.requireNonNull(clientSecret));
        try {
            return e.login(scopes == null ? List.of() : scopes, ttl);
        } catch (BrokerUnreachable u) {
            throw unreachable(u);
        } catch (BrokerRejected r) {
            throw new MayflyException(r.asSent());
        }
    }

    /** Rotates the session's refresh token; the answer holds the next one. Sent once, never resent. */
    public TokenResponse refresh(Secret refreshToken) {
        try {
            return anonymous.refresh(refreshToken, null);
        } catch (BrokerUnreachable u) {
            throw unreachable(u);
        } catch (BrokerRejected r) {
            throw new MayflyException(r.asSent());
        }
    }

    /** RFC 8693 exchange of a session token for a task token; null parts are left to the broker. */
    public TokenResponse exchange(Secret subjectToken, List<String> scopes, List<String> audiences, String taskId,
                                  Duration ttl) {
        try {
            return anonymous.exchange(subjectToken, scopes, audiences, taskId, ttl);
        } catch (BrokerUnreachable u) {
            throw unreachable(u);
        } catch (BrokerRejected r) {
            throw new MayflyException(r.asSent());
        }
    }

    /** RFC 7009: an access token (its jti) or a refresh token (its whole session). */
    public void revoke(Secret token) {
        try {
            anonymous.revokeOrThrow(token);
        } catch (BrokerUnreachable u) {
            throw unreachable(u);
        } catch (BrokerRejected r) {
            throw new MayflyException(r.asSent());
        }
    }

    private MayflyException unreachable(BrokerUnreachable u) {
        MayflyError answer = u.lastAnswer();
        if (answer != null) {
            return new MayflyException(answer);
        }
        if (u.getCause() instanceof InterruptedException) {
            return new MayflyException(MayflyError.of(dev.mayfly.core.error.ErrorCode.TIMEOUT,
                    "Interrupted while waiting for " + broker + "."), u.getCause());
        }
        return BrokerErrors.transportFailure(broker, u.getCause(), tlsHint);
    }

    @Override
    public String toString() {
        return "OAuthClient[" + broker + "]";
    }
}

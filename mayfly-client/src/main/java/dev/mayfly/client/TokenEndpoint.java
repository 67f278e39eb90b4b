package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.client.classify.SentCredential;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.token.Scopes;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The broker's {@code /oauth/token} and {@code /oauth/revoke} (RFC 6749 §4.4 and §6, RFC 8693, RFC 7009)
 * across several broker URLs. One call tries each URL once, starting with the last one that answered:
 * a refused connection, a timeout, a dropped response or a 429/5xx moves on to the next; an error answer
 * (4xx) ends the call, since every node shares the same database and would say the same. A refresh whose
 * request may have reached a broker is never sent to another, because a second presentation of a rotated
 * refresh token is reuse and revokes the session. Thread-safe.
 */
final class TokenEndpoint {
    private static final System.Logger LOG = System.getLogger("dev.mayfly.client");
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final List<URI> brokers;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final AuthFailureClassifier classifier;
    private final Clock clock;
    private final String clientId;
    private final Secret clientSecret;
    private final boolean basicAuth;
    /** RFC 7523 §2.2 client authentication instead of a secret: a fresh assertion per login request, or null. */
    private final java.util.function.Supplier<String> clientAssertion;
    private final AtomicInteger preferred = new AtomicInteger();
    /** The key every token request proves possession of (RFC 9449 §5), or null for bearer tokens. */
    private final DpopKey dpop;
    /** The last {@code DPoP-Nonce} the broker handed out (RFC 9449 §8); null until one is demanded. */
    private final java.util.concurrent.atomic.AtomicReference<String> dpopNonce = new java.util.concurrent.atomic.AtomicReference<>();

    TokenEndpoint(List<URI> brokers, HttpClient http, Duration requestTimeout, AuthFailureClassifier classifier,
                  Clock clock, String clientId, Secret clientSecret, boolean basicAuth) {
        this(brokers, http, requestTimeout, classifier, clock, clientId, clientSecret, basicAuth, null, null);
    }

    TokenEndpoint(List<URI> brokers, HttpClient http, Duration requestTimeout, AuthFailureClassifier classifier,
                  Clock clock, String clientId, Secret clientSecret, boolean basicAuth,
                  java.util.function.Supplier<String> clientAssertion, DpopKey dpop) {
        this.clientAssertion = clientAssertion;
        this.dpop = dpop;
        this.brokers = List.copyOf(brokers);
        this.http = Objects.requireNonNull(http);
        this.requestTimeout = requestTimeout;
        this.classifier = classifier;
        this.clock = clock;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.basicAuth = basicAuth;
    }

    /** The DPoP key token requests are signed with, or null. */
    DpopKey dpopKey() {
        return dpop;
    }

    /** Whether this endpoint can start a session: a client secret or a client-assertion supplier. */
    boolean hasClientCredentials() {
        return clientId != null && (clientSecret != null || clientAssertion != null);
    }

    /**
     * Whether requests other than a login authenticate the client too. Only with a secret: an assertion is
     * one-time (the broker refuses a replayed jti), and a refresh token is already bound to its session.
     */
    private boolean hasSecret() {
        return clientId != null && clientSecret != null;
    }

    /**
     * How a tool that reports every failure at once describes {@code u}: the last 429/5xx answer as sent,
     * else the transport failure classified ({@code PRECONDITION} for a failed TLS handshake, {@code
     * UNAVAILABLE}, {@code TIMEOUT}), with {@code tlsHint} appended to a TLS failure's message.
     */
    MayflyError reported(BrokerUnreachable u, String tlsHint) {
        MayflyError answer = u.lastAnswer();
        if (answer != null) {
            return answer;
        }
        if (u.getCause() instanceof InterruptedException) {
            return MayflyError.of(ErrorCode.TIMEOUT, "Interrupted while waiting for " + brokers.get(0) + ".");
        }
        return BrokerErrors.transportFailure(brokers.get(0), u.getCause(), tlsHint).error();
    }

    int brokerCount() {
        return brokers.size();
    }

    /** {@code client_credentials} (RFC 6749 §4.4): a new session. */
    TokenResponse login(List<String> scopes, Duration ttl) throws BrokerUnreachable, BrokerRejected {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!scopes.isEmpty()) {
            form.put("scope", Scopes.join(scopes));
        }
        putTtl(form, ttl);
        return token(form, true, true);
    }

    /** {@code refresh_token} (RFC 6749 §6), rotating: never resent after an unknown outcome. */
    TokenResponse refresh(Secret refreshToken, Duration ttl) throws BrokerUnreachable, BrokerRejected {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken.reveal());
        putTtl(form, ttl);
        return token(form, hasSecret(), false);
    }

    /** Token exchange (RFC 8693 §2.1) of the session token for a task token. */
    TokenResponse exchange(Secret sessionToken, TokenRequest request) throws BrokerUnreachable, BrokerRejected {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("subject_token", sessionToken.reveal());
        form.put("subject_token_type", ACCESS_TOKEN_TYPE);
        if (!request.scopes().isEmpty()) {
            form.put("scope", Scopes.join(request.scopes()));
        }
        request.taskId().ifPresent(t -> form.put("task_id", t));
        putTtl(form, request.ttl().orElse(null));
        return token(form, request.audiences(), false, true);
    }

    /** Token exchange with the request's parts as given (the CLI passes its arguments through unchecked). */
    TokenResponse exchange(Secret sessionToken, List<String> scopes, List<String> audiences, String taskId, Duration ttl)
            throws BrokerUnreachable, BrokerRejected {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", TOKEN_EXCHANGE);
        form.put("subject_token", sessionToken.reveal());
        form.put("subject_token_type", ACCESS_TOKEN_TYPE);
        if (scopes != null && !scopes.isEmpty()) {
            form.put("scope", Scopes.join(scopes));
        }
        if (taskId != null) {
            form.put("task_id", taskId);
        }
        putTtl(form, ttl);
        return token(form, audiences == null ? List.of() : audiences, false, true);
    }

    /** RFC 7009 at the first broker that answers; an error answer or no answer at all is thrown. */
    void revokeOrThrow(Secret token) throws BrokerUnreachable, BrokerRejected {
        String body = encode(Map.of("token", token.reveal()), List.of());
        StringBuilder what = new StringBuilder();
        IOException lastFailure = null;
        MayflyError lastAnswer = null;
        for (int i = 0; i < brokers.size(); i++) {
            int idx = Math.floorMod(preferred.get() + i, brokers.size());
            URI broker = brokers.get(idx);
            HttpResponse<String> r;
            try {
                r = http.send(request(broker, "/oauth/revoke", body, hasSecret()), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                note(what, broker, e.getClass().getSimpleName());
                lastFailure = e;
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnreachable("interrupted", false, null, e, null);
            }
            if (r.statusCode() >= 200 && r.statusCode() < 300) {
                return;
            }
            MayflyError asSent = BrokerErrors.read(r.statusCode(), r.headers(), r.body(), SentCredential.unknown(), clock, origin(broker));
            AuthFailure failure = classifier.classify(r, SentCredential.unknown()).orElse(null);
            if (r.statusCode() != 429 && r.statusCode() < 500 && failure != null) {
                throw new BrokerRejected(failure, asSent);
            }
            note(what, broker, "HTTP " + r.statusCode());
            lastAnswer = asSent;
        }
        throw new BrokerUnreachable(what.toString(), true, null, lastFailure, lastAnswer);
    }

    /** RFC 7009: best effort, one pass over the brokers, failures only logged. */
    boolean revoke(Secret token) {
        try {
            revokeOrThrow(token);
            return true;
        } catch (BrokerRejected | BrokerUnreachable e) {
            LOG.log(Level.WARNING, "could not revoke the session at any broker (" + e.getMessage() + "); it ends at its expiry");
            return false;
        }
    }

    private TokenResponse token(Map<String, String> form, boolean clientAuth, boolean safeToResend)
            throws BrokerUnreachable, BrokerRejected {
        return token(form, List.of(), clientAuth, safeToResend);
    }

    private TokenResponse token(Map<String, String> form, List<String> audiences, boolean clientAuth, boolean safeToResend)
            throws BrokerUnreachable, BrokerRejected {
        String body = encode(form, audiences);
        boolean maybeProcessed = false;
        Duration retryAfter = null;
        IOException lastFailure = null;
        MayflyError lastAnswer = null;
        StringBuilder what = new StringBuilder();
        int start = preferred.get();
        boolean nonceRetried = false;
        for (int i = 0; i < brokers.size(); i++) {
            int idx = Math.floorMod(start + i, brokers.size());
            URI broker = brokers.get(idx);
            Instant sentAt = clock.instant();
            HttpResponse<String> r;
            try {
                r = http.send(request(broker, "/oauth/token", body, clientAuth), HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException | HttpConnectTimeoutException e) {
                note(what, broker, "unreachable");
                lastFailure = e;
                continue;
            } catch (IOException e) {
                // Sent, or perhaps sent: the broker may have acted on it.
                note(what, broker, e instanceof java.net.http.HttpTimeoutException ? "timed out" : "connection dropped");
                maybeProcessed = true;
                lastFailure = e;
                if (!safeToResend) {
                    throw new BrokerUnreachable(what.toString(), true, null, e, null);
                }
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BrokerUnreachable("interrupted", maybeProcessed, null);
            }
            int status = r.statusCode();
            if (dpop != null && !nonceRetried && DpopNonce.demanded(status, r.headers(), r.body())) {
                // RFC 9449 §8: refused unprocessed for want of the server's nonce; once more, with it, to the same broker.
                nonceRetried = true;
                dpopNonce.set(r.headers().firstValue(DpopNonce.HEADER).orElseThrow());
                i--;
                continue;
            }
            if (status == 200) {
                TokenResponse parsed = parse(r.body(), sentAt);
                if (parsed != null) {
                    preferred.set(idx);
                    return parsed;
                }
                note(what, broker, "unreadable token response");
                maybeProcessed = true;
                if (!safeToResend) {
                    throw new BrokerUnreachable(what.toString(), true, null);
                }
                continue;
            }
            AuthFailure failure = classifier.classify(r, SentCredential.unknown()).orElse(null);
            MayflyError asSent = BrokerErrors.read(status, r.headers(), r.body(), SentCredential.unknown(), clock, origin(broker));
            boolean transientAnswer = status == 429 || status >= 500 || status < 400 || failure == null
                    || failure.kind() == AuthFailure.Kind.RATE_LIMITED || failure.kind() == AuthFailure.Kind.UNAVAILABLE;
            if (!transientAnswer) {
                preferred.set(idx);
                throw new BrokerRejected(failure, asSent);
            }
            note(what, broker, "HTTP " + status);
            lastAnswer = asSent;
            if (failure != null && failure.retryAfter().isPresent()) {
                Duration ra = failure.retryAfter().get();
                retryAfter = retryAfter == null || ra.compareTo(retryAfter) > 0 ? ra : retryAfter;
            }
            if (status == 502 || status == 504) {
                maybeProcessed = true;
                if (!safeToResend) {
                    throw new BrokerUnreachable(what.toString(), true, retryAfter, lastFailure, lastAnswer);
                }
            }
        }
        throw new BrokerUnreachable(what.toString(), maybeProcessed, retryAfter, lastFailure, lastAnswer);
    }

    private static String origin(URI broker) {
        return broker.getScheme() + "://" + broker.getAuthority();
    }

    private static void note(StringBuilder what, URI broker, String outcome) {
        if (what.length() > 0) {
            what.append("; ");
        }
        what.append(broker).append(": ").append(outcome);
        LOG.log(Level.DEBUG, "broker " + broker + ": " + outcome);
    }

    private static TokenResponse parse(String body, Instant sentAt) {
        try {
            return TokenResponse.parse(Json.mapper().readTree(body), sentAt);
        } catch (IOException e) {
            return null;
        }
    }

    private HttpRequest request(URI broker, String path, String body, boolean clientAuth) {
        if (clientAuth && !hasSecret() && clientAssertion != null) {
            // RFC 7523 §2.2, asked of the supplier per request: each attempt at another broker needs its own jti.
            body = body + "&client_id=" + enc(clientId) + "&client_assertion_type=" + enc(ClientAssertions.JWT_BEARER)
                    + "&client_assertion=" + enc(clientAssertion.get());
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(broker.resolve(path.substring(1)))
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(clientAuth && hasSecret() && !basicAuth
                        ? body + "&" + enc("client_id") + "=" + enc(clientId) + "&" + enc("client_secret") + "=" + enc(clientSecret.reveal())
                        : body));
        if (dpop != null && path.equals("/oauth/token")) {
            b.header("DPoP", dpop.proof("POST", broker.resolve(path.substring(1)), null, dpopNonce.get(), clock.instant()));
        }
        if (clientAuth && hasSecret() && basicAuth) {
            // RFC 6749 §2.3.1: form-urlencode id and secret, then Basic (RFC 7617).
            String pair = enc(clientId) + ":" + enc(clientSecret.reveal());
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        return b.build();
    }

    private static void putTtl(Map<String, String> form, Duration ttl) {
        if (ttl != null) {
            form.put("ttl", Long.toString(Math.max(1, ttl.getSeconds())));
        }
    }

    private static String encode(Map<String, String> form, List<String> audiences) {
        String s = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        for (String a : audiences) {
            s += "&audience=" + enc(a);
        }
        return s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TokenEndpoint" + brokers;
    }
}

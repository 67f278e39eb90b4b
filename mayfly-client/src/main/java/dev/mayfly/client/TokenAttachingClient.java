package dev.mayfly.client;

import dev.mayfly.client.classify.AuthFailure;
import dev.mayfly.client.classify.AuthFailureClassifier;
import dev.mayfly.client.classify.SentCredential;
import dev.mayfly.core.http.BoundedBody;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * {@link AuthenticatedHttpClient}: send with the token; on a status of 400 or more read the body (bounded),
 * classify, and act: one refresh and one replay on expiry, a typed exception on a denial or another auth
 * failure, the response otherwise. Thread-safe.
 */
final class TokenAttachingClient implements AuthenticatedHttpClient {
    private final TokenSource tokens;
    private final HttpClient http;
    private final TokenRequest tokenRequest;
    private final AuthFailureClassifier classifier;
    private final int maxReplayBytes;
    private final int maxErrorBodyBytes;
    /** The last {@code DPoP-Nonce} a resource server demanded (RFC 9449 §9); null until one does. */
    private final java.util.concurrent.atomic.AtomicReference<String> dpopNonce = new java.util.concurrent.atomic.AtomicReference<>();
    /** The clock a proof's {@code iat} is read from. */
    private final java.time.Clock clock;

    TokenAttachingClient(TokenSource tokens, HttpClient http, TokenRequest tokenRequest, AuthFailureClassifier classifier,
                         int maxReplayBytes, int maxErrorBodyBytes, java.time.Clock clock) {
        this.clock = clock;
        this.tokens = tokens;
        this.http = http;
        this.tokenRequest = tokenRequest;
        this.classifier = classifier;
        this.maxReplayBytes = maxReplayBytes;
        this.maxErrorBodyBytes = maxErrorBodyBytes;
    }

    /** One exchange: a success already in the caller's type, or an error with its raw bytes and classification. */
    private static final class Outcome<T> {
        HttpResponse<T> success;
        HttpResponse<?> raw;
        byte[] errorBody;
        AuthFailure failure;
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        ReplayableRequest prepared = ReplayableRequest.of(request, maxReplayBytes);
        AccessToken token = tokens.token(tokenRequest);
        Outcome<T> first = exchange(prepared, token, handler);
        if (first.success != null) {
            return first.success;
        }
        AuthFailure f = first.failure;
        switch (f.kind()) {
            case EXPIRED: {
                AccessToken fresh = tokens.refresh(token);
                if (!prepared.replayable()) {
                    throw new AuthFailureException(f); // refreshed; the caller resends its streamed body
                }
                Outcome<T> second = exchange(prepared, fresh, handler);
                if (second.success != null) {
                    return second.success;
                }
                return settle(reportingTheExpiryThatHappened(second, f), handler);
            }
            case REVOKED:
                if (f.recovery() == AuthFailure.Recovery.REFRESH) {
                    forget(token); // only this token was revoked: the next call gets a new one
                }
                return settle(first, handler);
            default:
                return settle(first, handler);
        }
    }

    /**
     * A replay refused as expired again: the fresh token's {@code exp} lies ahead, so the expiry to report is
     * the one the first answer established (or none), never the new token's.
     */
    private static <T> Outcome<T> reportingTheExpiryThatHappened(Outcome<T> replay, AuthFailure first) {
        AuthFailure again = replay.failure;
        if (again.kind() == AuthFailure.Kind.EXPIRED && again.expiredAt().isEmpty() && first.expiredAt().isPresent()) {
            replay.failure = again.toBuilder().expiredAt(first.expiredAt().get()).build();
        }
        return replay;
    }

    /** What an error answer becomes: an exception for the auth failures a replay cannot fix, else the response. */
    private void forget(AccessToken token) {
        try {
            tokens.refresh(token);
        } catch (dev.mayfly.core.error.MayflyException e) {
            // the failure at hand is what the caller hears about; the next call will meet this one
        }
    }

    private <T> HttpResponse<T> settle(Outcome<T> o, HttpResponse.BodyHandler<T> handler) throws IOException {
        AuthFailure f = o.failure;
        switch (f.kind()) {
            case DENIED:
                throw new PermissionDeniedException(f);
            case EXPIRED: // still expired with a fresh token: the server's clock or the token is off; do not loop
            case REVOKED:
            case INVALID:
            case MISSING:
                throw new AuthFailureException(f);
            default:
                return BufferedErrorResponse.of(o.raw, o.errorBody, handler);
        }
    }

    /**
     * One exchange; for a DPoP-bound token (RFC 9449 §7.1) with a fresh proof for this method and URI, sent once
     * more with the server's nonce if it demands one ({@code use_dpop_nonce}: the request was not processed).
     */
    private <T> Outcome<T> exchange(ReplayableRequest prepared, AccessToken token, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        java.util.Optional<DpopKey> key = tokens.dpopKey();
        if (!"DPoP".equalsIgnoreCase(token.tokenType()) || key.isEmpty()) {
            return exchange(prepared, token, null, handler);
        }
        Outcome<T> o = exchange(prepared, token, proof(key.get(), prepared, token), handler);
        if (o.success == null && prepared.replayable()
                && DpopNonce.demanded(o.raw.statusCode(), o.raw.headers(), new String(o.errorBody, StandardCharsets.UTF_8))) {
            dpopNonce.set(o.raw.headers().firstValue(DpopNonce.HEADER).orElseThrow());
            o = exchange(prepared, token, proof(key.get(), prepared, token), handler);
        }
        return o;
    }

    private String proof(DpopKey key, ReplayableRequest prepared, AccessToken token) {
        HttpRequest r = prepared.request();
        return key.proof(r.method(), r.uri(), token.value().reveal(), dpopNonce.get(), clock.instant());
    }

    @SuppressWarnings("unchecked")
    private <T> Outcome<T> exchange(ReplayableRequest prepared, AccessToken token, String dpopProof,
                                    HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        HttpRequest request = prepared.with(token.tokenType() + " " + token.value().reveal(), dpopProof);
        HttpResponse<Object> r = http.send(request, info -> info.statusCode() >= 400
                ? HttpResponse.BodySubscribers.mapping(new BoundedBody(maxErrorBodyBytes), b -> (Object) b)
                : HttpResponse.BodySubscribers.mapping(handler.apply(info), t -> (Object) t));
        Outcome<T> o = new Outcome<>();
        if (r.statusCode() < 400) {
            o.success = (HttpResponse<T>) (HttpResponse<?>) r;
            return o;
        }
        o.raw = r;
        o.errorBody = (byte[]) r.body();
        o.failure = classifier.classify(r.statusCode(), r.headers(), new String(o.errorBody, StandardCharsets.UTF_8),
                SentCredential.expiringAt(token.expiresAt())).orElseThrow();
        return o;
    }
}

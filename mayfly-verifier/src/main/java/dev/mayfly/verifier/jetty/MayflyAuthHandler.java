package dev.mayfly.verifier.jetty;

import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.verifier.AuthFailureResponse;
import dev.mayfly.verifier.Decision;
import dev.mayfly.core.http.RequestIds;
import dev.mayfly.verifier.TokenVerifier;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A Jetty 12 handler that admits only requests bearing a Mayfly access token with the scopes the request
 * needs (RFC 6750 §2.1 {@code Authorization: Bearer}, or RFC 9449 §7.1 {@code Authorization: DPoP} with a proof
 * for this request; a DPoP-bound token presented as Bearer is refused); everything else gets the RFC 6750 §3 challenge and the
 * DESIGN §3.2 envelope from {@link AuthFailureResponse}. On success the verified {@link AccessTokenClaims}
 * are the request attribute {@link #CLAIMS_ATTRIBUTE} and the wrapped handler runs.
 *
 * <p>Every response carries {@code X-Request-Id}: the id an outer handler put in attribute
 * {@link #REQUEST_ID_ATTRIBUTE}, else the client's header if it is a short safe token, else a fresh one; the
 * id is left in that attribute for the wrapped handler.
 *
 * <p>Verification may block (a JWKS re-fetch on an unknown key), so this handler declares itself blocking.
 * Thread-safe once started.
 */
public final class MayflyAuthHandler extends Handler.Wrapper {
    /** Request attribute holding the verified {@link AccessTokenClaims}. */
    public static final String CLAIMS_ATTRIBUTE = "dev.mayfly.claims";
    /** Request attribute holding the request id (read if an outer handler set it, else set here). */
    public static final String REQUEST_ID_ATTRIBUTE = RequestIds.ATTRIBUTE;

    private final TokenVerifier verifier;
    private final Function<? super Request, ? extends java.util.Collection<String>> requiredScopes;
    private final Predicate<? super Request> open;

    /** Every request needs a token granting all of {@code requiredScopes} (empty: any valid token). */
    public MayflyAuthHandler(TokenVerifier verifier, java.util.Collection<String> requiredScopes) {
        this(verifier, fixed(requiredScopes), request -> false);
    }

    /** Each request needs a token granting the scopes {@code requiredScopes} names for it. */
    public MayflyAuthHandler(TokenVerifier verifier,
            Function<? super Request, ? extends java.util.Collection<String>> requiredScopes) {
        this(verifier, requiredScopes, request -> false);
    }

    /**
     * @param requiredScopes the scopes each request needs (empty or {@code null}: any valid token)
     * @param open           requests that need no token at all (health checks, discovery documents)
     */
    public MayflyAuthHandler(TokenVerifier verifier,
            Function<? super Request, ? extends java.util.Collection<String>> requiredScopes,
            Predicate<? super Request> open) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.requiredScopes = Objects.requireNonNull(requiredScopes, "requiredScopes");
        this.open = Objects.requireNonNull(open, "open");
    }

    /** As {@link #MayflyAuthHandler(TokenVerifier, Function, Predicate)}, wrapping {@code handler}. */
    public MayflyAuthHandler(TokenVerifier verifier,
            Function<? super Request, ? extends java.util.Collection<String>> requiredScopes,
            Predicate<? super Request> open, Handler handler) {
        this(verifier, requiredScopes, open);
        setHandler(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long started = System.nanoTime();
        String requestId = RequestIds.resolve(request.getAttribute(REQUEST_ID_ATTRIBUTE),
                request.getHeaders().get(RequestIds.HEADER));
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        response.getHeaders().put(RequestIds.HEADER, requestId);
        if (open.test(request)) {
            return super.handle(request, response, callback);
        }
        java.util.Collection<String> scopes = requiredScopes.apply(request);
        // Bearer, or DPoP with its proof for this method and URI (query and fragment are not part of htu).
        Decision decision = verifier.verifyRequest(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                request.getHeaders().getValuesList("DPoP"), request.getMethod(),
                request.getHttpURI().asString(), scopes == null ? List.of() : scopes);
        if (decision.allowed()) {
            request.setAttribute(CLAIMS_ATTRIBUTE, decision.claims());
            return super.handle(request, response, callback);
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        AuthFailureResponse failure = AuthFailureResponse.of(decision.error(), requestId, durationMs);
        response.setStatus(failure.status());
        failure.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(failure.body()), callback);
        return true;
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    private static Function<Request, java.util.Collection<String>> fixed(java.util.Collection<String> scopes) {
        List<String> copy = List.copyOf(scopes);
        return request -> copy;
    }
}

package dev.mayfly.verifier.servlet;

import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.verifier.AuthFailureResponse;
import dev.mayfly.verifier.Decision;
import dev.mayfly.core.http.RequestIds;
import dev.mayfly.verifier.TokenVerifier;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A servlet filter that admits only requests bearing a Mayfly access token with the scopes the request
 * needs (RFC 6750 §2.1 {@code Authorization: Bearer}, or RFC 9449 §7.1 {@code Authorization: DPoP} with a proof
 * for this request; a DPoP-bound token presented as Bearer is refused); everything else gets the RFC 6750 §3 challenge and the
 * DESIGN §3.2 envelope from {@link AuthFailureResponse}, and the chain does not run. On success the verified
 * {@link AccessTokenClaims} are the request attribute {@link #CLAIMS_ATTRIBUTE}.
 *
 * <p>Every response carries {@code X-Request-Id}: the id an earlier filter put in attribute
 * {@link #REQUEST_ID_ATTRIBUTE}, else the client's header if it is a short safe token, else a fresh one.
 * Non-HTTP requests are refused. Thread-safe.
 */
public final class MayflyAuthFilter implements Filter {
    /** Request attribute holding the verified {@link AccessTokenClaims}. */
    public static final String CLAIMS_ATTRIBUTE = "dev.mayfly.claims";
    /** Request attribute holding the request id (read if an earlier filter set it, else set here). */
    public static final String REQUEST_ID_ATTRIBUTE = RequestIds.ATTRIBUTE;

    private final TokenVerifier verifier;
    private final Function<? super HttpServletRequest, ? extends Collection<String>> requiredScopes;
    private final Predicate<? super HttpServletRequest> open;

    /** Every request needs a token granting all of {@code requiredScopes} (empty: any valid token). */
    public MayflyAuthFilter(TokenVerifier verifier, Collection<String> requiredScopes) {
        this(verifier, fixed(requiredScopes), request -> false);
    }

    /** Each request needs a token granting the scopes {@code requiredScopes} names for it. */
    public MayflyAuthFilter(TokenVerifier verifier,
            Function<? super HttpServletRequest, ? extends Collection<String>> requiredScopes) {
        this(verifier, requiredScopes, request -> false);
    }

    /**
     * @param requiredScopes the scopes each request needs (empty or {@code null}: any valid token)
     * @param open           requests that need no token at all (health checks, discovery documents)
     */
    public MayflyAuthFilter(TokenVerifier verifier,
            Function<? super HttpServletRequest, ? extends Collection<String>> requiredScopes,
            Predicate<? super HttpServletRequest> open) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.requiredScopes = Objects.requireNonNull(requiredScopes, "requiredScopes");
        this.open = Objects.requireNonNull(open, "open");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            throw new ServletException("MayflyAuthFilter handles HTTP requests only");
        }
        long started = System.nanoTime();
        String requestId = RequestIds.resolve(request.getAttribute(REQUEST_ID_ATTRIBUTE),
                request.getHeader(RequestIds.HEADER));
        request.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        if (open.test(request)) {
            chain.doFilter(request, response);
            return;
        }
        // Bearer, or DPoP with its proof for this method and URL (the query is not part of htu).
        Collection<String> scopes = requiredScopes.apply(request);
        Decision decision = verifier.verifyRequest(request.getHeader("Authorization"),
                java.util.Collections.list(request.getHeaders("DPoP")), request.getMethod(),
                request.getRequestURL().toString(), scopes == null ? List.of() : scopes);
        if (decision.allowed()) {
            request.setAttribute(CLAIMS_ATTRIBUTE, decision.claims());
            chain.doFilter(request, response);
            return;
        }
        long durationMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        AuthFailureResponse failure = AuthFailureResponse.of(decision.error(), requestId, durationMs);
        byte[] body = failure.body();
        response.setStatus(failure.status());
        failure.headers().forEach(response::setHeader);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static Function<HttpServletRequest, Collection<String>> fixed(Collection<String> scopes) {
        List<String> copy = List.copyOf(scopes);
        return request -> copy;
    }
}

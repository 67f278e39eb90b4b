package dev.mayfly.server.http;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.ErrorMapper;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.audit.RequestContext;
import dev.mayfly.core.http.RequestIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's routing table on Jetty's core API: method + path template ({@code /v1/agents/{id}}) to a
 * {@link Route}. Every failure a route throws is mapped through {@link ErrorMapper} and rendered by the
 * renderer of the path's area, so no handler builds error JSON by hand. One {@link AccessLog} line per request.
 */
public final class Router extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.LOGGER);

    private final List<Entry> routes = new ArrayList<>();
    private final Map<String, ErrorRenderer> renderers = new LinkedHashMap<>();
    private final ErrorRenderer defaultRenderer;
    private ProofTargetUri.PublicUrl publicUrl;
    private final List<RequestListener> listeners = new ArrayList<>();

    private record Entry(String method, String[] segments, Route route) {
    }

    public Router(ErrorRenderer defaultRenderer) {
        this.defaultRenderer = defaultRenderer;
    }

    /** The broker's public URL ({@code --issuer}): DPoP proofs may name it behind a TLS-terminating proxy. */
    public Router publicUrl(String issuer) {
        this.publicUrl = ProofTargetUri.PublicUrl.of(issuer);
        return this;
    }

    /** Told about every finished request (metrics, the audit of denials). */
    public Router onRequest(RequestListener listener) {
        listeners.add(listener);
        return this;
    }

    /** Errors under this path prefix are rendered by {@code renderer}. */
    public Router renderErrorsUnder(String prefix, ErrorRenderer renderer) {
        renderers.put(prefix, renderer);
        return this;
    }

    public Router add(String method, String template, Route route) {
        routes.add(new Entry(method, split(template), route));
        return this;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String requestId = ClientText.requestId(request.getHeaders().get(RequestIds.HEADER));
        // Who is asking is captured here, once, as a value: handlers pass it on explicitly to what they audit.
        RequestContext context = RequestContext.of(requestId, Request.getRemoteAddr(request));
        HttpExchange ex = new HttpExchange(request, response, callback, context, start, publicUrl);
        String path = ex.path();
        MayflyError failure = null;
        try {
            dispatch(ex, path);
        } catch (Throwable t) {
            // Messages often quote what the client sent (an id, a scope, a URL): a secret among it is masked here,
            // once, for every answer and for the listeners that record denials.
            failure = ClientText.redacted(ErrorMapper.toError(t, requestId));
            if (failure.code() == ErrorCode.INTERNAL) {
                LOG.error("request {} {} {} failed", requestId, ex.method(), loggable(ex, path), t);
            }
            if (!ex.sent()) {
                ex.discardUnreadBody();
                rendererFor(path).render(ex, failure, t);
            }
        }
        for (RequestListener l : listeners) {
            try {
                l.finished(ex, failure);
            } catch (RuntimeException e) {
                LOG.warn("request listener failed for {}: {}", requestId, e.toString());
            }
        }
        AccessLog.finished(requestId, ex.method(), loggable(ex, path), ex.status(), failure == null ? null : failure.code(),
                ex.elapsedMillis());
        return true;
    }

    private void dispatch(HttpExchange ex, String path) throws Exception {
        String[] actual = split(path);
        boolean pathMatched = false;
        for (Entry e : routes) {
            Map<String, String> params = match(e.segments(), actual);
            if (params == null) {
                continue;
            }
            pathMatched = true;
            if (e.method().equals(ex.method())) {
                ex.pathParams(params);
                ex.route(String.join("/", e.segments()));
                e.route().handle(ex);
                if (!ex.sent()) {
                    throw new IllegalStateException("route sent no response: " + path);
                }
                return;
            }
        }
        if (pathMatched) {
            throw new MayflyException(MayflyError.of(ErrorCode.USAGE, "Method " + ex.method() + " is not allowed on " + path + "."));
        }
        throw new MayflyException(MayflyError.of(ErrorCode.NOT_FOUND, "No such endpoint: " + path));
    }

    /**
     * The path for the access log: a fixed route's path as it is; a path with parameters, or one no route
     * matched, is the client's text and is redacted (someone pastes a token where an id goes).
     */
    private static String loggable(HttpExchange ex, String path) {
        return ex.route().indexOf('{') < 0 && !ex.route().equals("unmatched") ? path : ClientText.redacted(path);
    }

    private ErrorRenderer rendererFor(String path) {
        for (Map.Entry<String, ErrorRenderer> e : renderers.entrySet()) {
            if (path.startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return defaultRenderer;
    }

    private static Map<String, String> match(String[] template, String[] actual) {
        if (template.length != actual.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), actual[i]);
            } else if (!t.equals(actual[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path == null ? "" : path;
        while (p.endsWith("/") && p.length() > 1) {
            p = p.substring(0, p.length() - 1);
        }
        return p.split("/", -1);
    }
}

package dev.mayfly.server.http;

import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.http.RetryAfter;
import dev.mayfly.verifier.AuthFailureResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sends {@code /v1} responses in the envelope of DESIGN §3.2, errors with their catalog status and headers. */
public final class Envelopes {
    /** Renders any catalog error as an envelope; auth errors also get their RFC 6750 challenge. */
    public static final ErrorRenderer ERRORS = Envelopes::error;

    private Envelopes() {
    }

    public static void ok(HttpExchange ex, Object data) {
        ok(ex, 200, data, List.of());
    }

    public static void ok(HttpExchange ex, int status, Object data, List<String> warnings) {
        ex.sendJson(status, Envelope.success(data, warnings, meta(ex)), Map.of());
    }

    private static void error(HttpExchange ex, MayflyError error, Throwable failure) {
        if (error.code().isAuth()) {
            AuthFailureResponse r = AuthFailureResponse.of(error, ex.requestId(), ex.elapsedMillis());
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            headers.remove("Content-Type");
            ex.send(r.status(), "application/json", r.body(), headers);
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        RetryAfter.addTo(headers, error);
        int status = failure instanceof UnsupportedMediaType ? UnsupportedMediaType.STATUS : error.code().httpStatus();
        ex.sendJson(status, Envelope.failure(error, meta(ex)), headers);
    }

    private static Envelope.Meta meta(HttpExchange ex) {
        return new Envelope.Meta(ex.elapsedMillis(), ex.requestId());
    }
}

package dev.mayfly.verifier;

import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.http.RetryAfter;
import dev.mayfly.core.json.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The HTTP response for a rejected request, independent of any server API: the catalog status, the RFC 6750
 * §3 {@code WWW-Authenticate} challenge for a 401 or 403 (RFC 9449 §7.1's {@code DPoP} challenge, and a
 * {@code DPoP-Nonce} header when one is demanded, for a refused DPoP presentation), {@code Cache-Control: no-store} (RFC 6750 §5.3;
 * RFC 9111 §5.2.2.5), and the DESIGN §3.2 envelope as the JSON body. Adapters copy it onto their response
 * object; nobody builds the error JSON by hand. Immutable and thread-safe.
 */
public final class AuthFailureResponse {
    public static final String CONTENT_TYPE = "application/json";

    private final MayflyError error;
    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    private AuthFailureResponse(MayflyError error, String requestId, long durationMs) {
        this.error = error;
        this.status = error.code().httpStatus();
        Map<String, String> h = new LinkedHashMap<>();
        if ((status == 401 || status == 403) && DpopChallenge.appliesTo(error)) {
            h.put(BearerChallenge.HEADER, DpopChallenge.render(error, BearerChallenge.DEFAULT_REALM));
            Object nonce = error.details().get(DpopFailure.DETAIL_NONCE);
            if (nonce != null) {
                h.put(DpopChallenge.NONCE_HEADER, BearerChallenge.quote(nonce.toString()));
            }
        } else if (status == 401 || status == 403) {
            String challenge = BearerChallenge.render(error);
            if (challenge != null) {
                h.put(BearerChallenge.HEADER, challenge);
            }
        }
        RetryAfter.addTo(h, error);
        h.put("Content-Type", CONTENT_TYPE);
        h.put("Cache-Control", "no-store");
        this.headers = Collections.unmodifiableMap(h);
        this.body = Json.writeBytes(Envelope.failure(error, new Envelope.Meta(durationMs, requestId)));
    }

    /**
     * @param requestId  the request's id, echoed in {@code meta.request_id}
     * @param durationMs how long the request took so far, for {@code meta.duration_ms}
     */
    public static AuthFailureResponse of(MayflyError error, String requestId, long durationMs) {
        return new AuthFailureResponse(Objects.requireNonNull(error, "error"), requestId, durationMs);
    }

    public MayflyError error() {
        return error;
    }

    /** The HTTP status: the catalog's for the error code (401 for credentials, 403 for permission). */
    public int status() {
        return status;
    }

    /** Response headers, in a stable order; unmodifiable. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The envelope JSON, UTF-8; a fresh copy on every call. */
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return "AuthFailureResponse[" + status + " " + error.code() + "]";
    }
}

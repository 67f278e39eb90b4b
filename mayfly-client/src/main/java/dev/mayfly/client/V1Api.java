package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mayfly's own {@code /v1} API: bearer-authorised calls answering with the envelope. Returns {@code data};
 * an error envelope is thrown as a {@link MayflyException} carrying the broker's error as sent (code,
 * {@code reauth_command}, {@code expired_at}...). Get one from {@link MayflyHttp#v1(String)}, or from
 * {@link MayflyHttp#v1(List)} for several broker nodes sharing one database: each call starts at the node
 * that last answered and moves on, as {@link TokenEndpoint} does, only where a second node cannot make a
 * difference to the outcome: a GET (idempotent) after no answer or a 503, a POST only when its connection
 * was never made (so it cannot have been acted on). Thread-safe.
 */
public final class V1Api {
    private final MayflyHttp http;
    private final List<String> bases;
    private final AtomicInteger preferred = new AtomicInteger();

    V1Api(MayflyHttp http, List<String> bases) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("no broker URL");
        }
        this.http = http;
        this.bases = List.copyOf(bases);
    }

    /** The broker URL calls start at: the one that last answered. */
    public String base() {
        return bases.get(Math.floorMod(preferred.get(), bases.size()));
    }

    public JsonNode get(String pathAndQuery, Secret bearer) {
        return data(each("GET", pathAndQuery, bearer, true, b -> b.GET()));
    }

    public JsonNode post(String path, Secret bearer, Object body) {
        byte[] json = Json.writeBytes(body);
        return data(each("POST", path, bearer, false, b -> b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))));
    }

    /** A JSON {@code PATCH}: changes the members given (e.g. {@code /v1/agents/{id}}); not retried on another node. */
    public JsonNode patch(String path, Secret bearer, Object body) {
        byte[] json = Json.writeBytes(body);
        return data(each("PATCH", path, bearer, false, b -> b.header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(json))));
    }

    /**
     * A GET request to {@code base() + pathAndQuery} accepting JSON, with the token when one is given (as Bearer, or
     * as DPoP with a proof when it is bound and the transport holds its key: {@link MayflyHttp#authorize}).
     */
    public HttpRequest.Builder request(String pathAndQuery, Secret bearer) {
        return request(base(), "GET", pathAndQuery, bearer);
    }

    private HttpRequest.Builder request(String base, String method, String pathAndQuery, Secret bearer) {
        URI uri = URI.create(base + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        return bearer == null ? b : http.authorize(b, method, uri, bearer);
    }

    /** What completes a request for one node: its method and body. */
    private interface Shape {
        HttpRequest.Builder apply(HttpRequest.Builder b);
    }

    /** A node's answer and the URL it came from. */
    private static final class Answer {
        final HttpReply reply;
        final String base;

        Answer(HttpReply reply, String base) {
            this.reply = reply;
            this.base = base;
        }
    }

    private Answer each(String method, String pathAndQuery, Secret bearer, boolean idempotent, Shape shape) {
        int start = preferred.get();
        MayflyException lastFailure = null;
        Answer lastUnavailable = null;
        for (int i = 0; i < bases.size(); i++) {
            int idx = Math.floorMod(start + i, bases.size());
            String base = bases.get(idx);
            HttpReply r;
            try {
                r = http.send(shape.apply(request(base, method, pathAndQuery, bearer)));
            } catch (MayflyException e) {
                boolean neverSent = e.getCause() instanceof ConnectException
                        || e.getCause() instanceof HttpConnectTimeoutException
                        || (e.getCause() != null && e.getCause().getCause() instanceof ConnectException);
                boolean transport = e.error().code() == ErrorCode.UNAVAILABLE || e.error().code() == ErrorCode.TIMEOUT;
                if (neverSent || (idempotent && transport)) {
                    lastFailure = e;
                    continue;
                }
                throw e;
            }
            if (r.status() == 503 && idempotent) {
                lastUnavailable = new Answer(r, base);
                continue;
            }
            preferred.set(idx);
            return new Answer(r, base);
        }
        if (lastUnavailable != null) {
            return lastUnavailable;
        }
        throw lastFailure;
    }

    private JsonNode data(Answer a) {
        HttpReply r = a.reply;
        if (!r.successful()) {
            // Mayfly's envelope carries its own classification; the clock is only for other answers.
            throw new MayflyException(r.error(http.clock(), a.base));
        }
        JsonNode body = r.json();
        if (body == null || !body.has("data")) {
            throw new MayflyException(ErrorCode.INTERNAL, "The broker answered " + r.status() + " without an envelope.");
        }
        return body.get("data");
    }
}

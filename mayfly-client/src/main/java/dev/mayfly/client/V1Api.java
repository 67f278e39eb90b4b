package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.secret.Secret;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * Mayfly's own {@code /v1} API: bearer-authorised calls answering with the envelope. Returns {@code data};
 * an error envelope is thrown as a {@link MayflyException} carrying the broker's error as sent (code,
 * {@code reauth_command}, {@code expired_at}...). Get one from {@link MayflyHttp#v1(String)}. Thread-safe.
 */
public final class V1Api {
    private final MayflyHttp http;
    private final String base;

    V1Api(MayflyHttp http, String base) {
        this.http = http;
        this.base = base;
    }

    public String base() {
        return base;
    }

    public JsonNode get(String pathAndQuery, Secret bearer) {
        return data(http.send(request("GET", pathAndQuery, bearer).GET()));
    }

    public JsonNode post(String path, Secret bearer, Object body) {
        return data(http.send(request("POST", path, bearer)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(body)))));
    }

    /**
     * A GET request to {@code base + pathAndQuery} accepting JSON, with the token when one is given (as Bearer, or
     * as DPoP with a proof when it is bound and the transport holds its key: {@link MayflyHttp#authorize}).
     */
    public HttpRequest.Builder request(String pathAndQuery, Secret bearer) {
        return request("GET", pathAndQuery, bearer);
    }

    private HttpRequest.Builder request(String method, String pathAndQuery, Secret bearer) {
        URI uri = URI.create(base + pathAndQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
        return bearer == null ? b : http.authorize(b, method, uri, bearer);
    }

    private JsonNode data(HttpReply r) {
        if (!r.successful()) {
            // Mayfly's envelope carries its own classification; the clock is only for other answers.
            throw new MayflyException(r.error(http.clock(), base));
        }
        JsonNode body = r.json();
        if (body == null || !body.has("data")) {
            throw new MayflyException(ErrorCode.INTERNAL, "The broker answered " + r.status() + " without an envelope.");
        }
        return body.get("data");
    }
}

package dev.mayfly.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One kind of request the load generator sends, with the per-worker state it needs (a session, say). */
public enum Scenario {
    /** A new session per request: session row, refresh token, access token and audit record in one commit. */
    CLIENT_CREDENTIALS,
    /** A task token from the worker's session token (the hot path of an agent fleet). */
    TOKEN_EXCHANGE,
    /** Rotating the worker's refresh token (a chain per worker). */
    REFRESH,
    /** RFC 7662 introspection of a task token. */
    INTROSPECTION,
    /** A resource server behind the verifier's Jetty handler, with a task token (offline verification). */
    VERIFIED_ENDPOINT;

    /** Per-worker state: its session and a task token, refreshed as the scenario needs. */
    static final class Worker {
        final Target target;
        String sessionToken;
        String refreshToken;
        String taskToken;

        Worker(Target target) {
            this.target = target;
        }
    }

    BenchRequest request(Worker w) {
        Target t = w.target;
        switch (this) {
            case CLIENT_CREDENTIALS:
                return form(t.tokenUrl, Map.of("grant_type", "client_credentials"), t.basicAuth());
            case TOKEN_EXCHANGE:
                return form(t.broker + "/oauth/token", exchange(w.sessionToken, t.audience), null);
            case REFRESH:
                return form(t.broker + "/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", w.refreshToken), null);
            case INTROSPECTION:
                return form(t.broker + "/oauth/introspect", Map.of("token", w.taskToken), t.basicAuth());
            default:
                return new BenchRequest("GET", URI.create(t.resource + "/orders"), Map.of("Authorization", "Bearer " + w.taskToken), null);
        }
    }

    /** Checks a response and updates the worker's state from it; false counts as an error. */
    boolean accept(Worker w, int status, String body) {
        if (status != 200) {
            return false;
        }
        if (this == CLIENT_CREDENTIALS) {
            return body.contains("\"access_token\""); // a 200 without a token is no token
        }
        if (this == REFRESH) {
            JsonNode json = parse(body);
            w.refreshToken = json.get("refresh_token").asText();
        }
        return true;
    }

    static Map<String, String> exchange(String sessionToken, String audience) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        m.put("subject_token", sessionToken);
        m.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        m.put("scope", "orders:read");
        m.put("audience", audience);
        return m;
    }

    static BenchRequest form(String url, Map<String, String> form, String basic) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (basic != null) {
            headers.put("Authorization", basic);
        }
        return new BenchRequest("POST", URI.create(url), headers, body);
    }

    static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** True when a worker needs a session and a task token before its first request. */
    boolean needsSession() {
        return this != CLIENT_CREDENTIALS;
    }

    /**
     * Where the load goes and as whom. {@code broker} is null for a foreign token endpoint (another
     * authorization server's {@code tokenUrl}), which only the client-credentials scenario can drive.
     */
    record Target(String broker, String tokenUrl, String resource, String audience, String clientId, String clientSecret) {
        /** A Mayfly broker at {@code broker} (its issuer URL). */
        static Target of(String broker, String resource, String audience, String clientId, String clientSecret) {
            return new Target(broker, broker + "/oauth/token", resource, audience, clientId, clientSecret);
        }

        /** Any OAuth token endpoint that takes client_credentials with client_secret_basic (Keycloak, say). */
        static Target tokenEndpoint(String tokenUrl, String clientId, String clientSecret) {
            return new Target(null, tokenUrl, null, null, clientId, clientSecret);
        }

        String basicAuth() {
            return basicAuth(clientId, clientSecret);
        }

        /** RFC 6749 §2.3.1: id and secret form-urlencoded, then Base64. */
        static String basicAuth(String clientId, String clientSecret) {
            return "Basic " + Base64.getEncoder().encodeToString(
                    (URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
        }
    }
}

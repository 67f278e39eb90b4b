package dev.mayfly.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain HTTP calls to a test broker, over a real socket, with the few flows the tests repeat. */
public final class BrokerClient {
    private final String base;
    private final HttpClient http;

    public BrokerClient(String base) {
        this(base, null);
    }

    /** {@code tls}: the trust for an https broker (e.g. {@link TestCertificates#clientContext()}), or null. */
    public BrokerClient(String base, javax.net.ssl.SSLContext tls) {
        this.base = base;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /** A response: status, headers, and the body parsed as JSON (null when empty). */
    public record Response(int status, Map<String, List<String>> headers, JsonNode body, String raw) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public String base() {
        return base;
    }

    public Response get(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    public Response delete(String path, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).DELETE();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    public Response postJson(String path, String bearer, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    /** A request of any method with a JSON body (PATCH, PUT...). */
    public Response send(String method, String path, String bearer, Object body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    /** A form POST; {@code basic} is {@code clientId:secret} for client_secret_basic, or null. */
    public Response postForm(String path, Map<String, String> form, String basicClientId, String basicSecret) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicClientId != null) {
            String creds = enc(basicClientId) + ":" + enc(basicSecret);
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        }
        return send(b);
    }

    /** Client-credentials login; returns the token response. */
    public Response login(String clientId, String secret, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>(extra);
        form.put("grant_type", "client_credentials");
        return postForm("/oauth/token", form, clientId, secret);
    }

    public Response login(String clientId, String secret) {
        return login(clientId, secret, Map.of());
    }

    public Response refresh(String refreshToken) {
        return postForm("/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), null, null);
    }

    /** Token exchange of a session token for a task token; {@code params} adds scope, audience, task_id, ttl. */
    public Response exchange(String sessionToken, Map<String, String> params) {
        Map<String, String> form = new LinkedHashMap<>(params);
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", sessionToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        return postForm("/oauth/token", form, null, null);
    }

    /** Logs the admin in and returns its access token. */
    public String adminToken(JsonNode adminCredentials) {
        Response r = login(adminCredentials.get("client_id").asText(), adminCredentials.get("client_secret").asText());
        if (r.status() != 200) {
            throw new IllegalStateException("admin login failed: " + r.raw());
        }
        return r.body().get("access_token").asText();
    }

    /** Registers an agent as admin; returns the {@code data} of the envelope (with the client secret). */
    public JsonNode createAgent(String adminToken, String name, String kind, List<String> scopes, List<String> audiences) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", kind);
        body.put("scopes", scopes);
        body.put("audiences", audiences);
        Response r = postJson("/v1/agents", adminToken, body);
        if (r.status() != 201) {
            throw new IllegalStateException("agent creation failed: " + r.raw());
        }
        return r.body().get("data");
    }

    private Response send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            boolean json = r.headers().firstValue("Content-Type").orElse("").startsWith("application/json");
            JsonNode body = r.body().isEmpty() || !json ? null : Json.mapper().readTree(r.body());
            return new Response(r.statusCode(), r.headers().map(), body, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

package dev.mayfly.cli.broker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.token.Scopes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's OAuth endpoints: {@code /oauth/token} (client credentials, refresh, token exchange) and
 * {@code /oauth/revoke}. Failures come back as {@link MayflyException}s carrying the broker's catalog error
 * (its {@code code}, {@code expired_at}, {@code reauth_command}...). Thread-safe.
 */
public final class TokenEndpoint {
    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private final BrokerHttp http;
    private final String base;

    public TokenEndpoint(BrokerHttp http, String base) {
        this.http = http;
        this.base = base;
    }

    /** {@code client_credentials} with {@code client_secret_basic}: starts a session. */
    public TokenGrant login(String clientId, Secret clientSecret, List<String> scopes, Long ttlSeconds) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        put(form, "grant_type", "client_credentials");
        if (scopes != null && !scopes.isEmpty()) {
            put(form, "scope", Scopes.join(scopes));
        }
        if (ttlSeconds != null) {
            put(form, "ttl", Long.toString(ttlSeconds));
        }
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined for Basic.
        String basic = enc(clientId) + ":" + enc(clientSecret.reveal());
        return token(form, "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }

    /** Rotates the session's refresh token; the answer holds the next one. */
    public TokenGrant refresh(Secret refreshToken) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        put(form, "grant_type", "refresh_token");
        put(form, "refresh_token", refreshToken.reveal());
        return token(form, null);
    }

    /** RFC 8693 exchange of a session access token for a task token. */
    public TokenGrant exchange(Secret sessionToken, List<String> scopes, List<String> audiences, String taskId,
                               Long ttlSeconds) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        put(form, "grant_type", TOKEN_EXCHANGE);
        put(form, "subject_token", sessionToken.reveal());
        put(form, "subject_token_type", ACCESS_TOKEN_TYPE);
        if (scopes != null && !scopes.isEmpty()) {
            put(form, "scope", Scopes.join(scopes));
        }
        if (audiences != null) {
            audiences.forEach(a -> put(form, "audience", a));
        }
        if (taskId != null) {
            put(form, "task_id", taskId);
        }
        if (ttlSeconds != null) {
            put(form, "ttl", Long.toString(ttlSeconds));
        }
        return token(form, null);
    }

    /** RFC 7009: an access token (its jti) or a refresh token (the whole session). */
    public void revoke(Secret token) {
        Map<String, List<String>> form = new LinkedHashMap<>();
        put(form, "token", token.reveal());
        HttpReply r = post("/oauth/revoke", form, null);
        if (!r.successful()) {
            throw failure(r);
        }
    }

    private TokenGrant token(Map<String, List<String>> form, String authorization) {
        HttpReply r = post("/oauth/token", form, authorization);
        if (!r.successful()) {
            throw failure(r);
        }
        JsonNode body = r.json();
        if (body == null || !body.path("access_token").isTextual()) {
            throw new MayflyException(ErrorCode.INTERNAL, "The broker's token response had no access_token.");
        }
        return TokenGrant.fromJson(body);
    }

    private HttpReply post(String path, Map<String, List<String>> form, String authorization) {
        List<String> pairs = new ArrayList<>();
        form.forEach((k, vs) -> vs.forEach(v -> pairs.add(enc(k) + "=" + enc(v))));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b);
    }

    private MayflyException failure(HttpReply r) {
        return new MayflyException(r.error(http.clock(), base));
    }

    private static void put(Map<String, List<String>> form, String key, String value) {
        form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

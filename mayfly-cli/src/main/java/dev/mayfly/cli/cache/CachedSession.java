package dev.mayfly.cli.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.client.AccessToken;
import dev.mayfly.client.RefreshPolicy;
import dev.mayfly.client.UnverifiedJwt;
import dev.mayfly.core.secret.Secret;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One logged-in session with one broker, as the cache keeps it: the current access token, the refresh
 * token that rotates it, and when each runs out. Immutable; {@code toString} shows no token.
 *
 * @param refreshAfter when to refresh ahead of expiry (the broker's jittered {@code refresh_after})
 * @param dpopKey      the session's DPoP key as a private JWK ({@code mayfly auth login --dpop}), or {@code null}:
 *                     its tokens are bound to it (RFC 9449); kept only in this 0600 file, never printed
 */
public record CachedSession(
        String url,
        String clientId,
        String agentId,
        String sessionId,
        Secret accessToken,
        Instant expiresAt,
        Instant refreshAfter,
        Secret refreshToken,
        Instant sessionExpiresAt,
        List<String> scopes,
        String tier,
        Instant obtainedAt,
        Secret dpopKey) {

    public CachedSession {
        scopes = List.copyOf(scopes);
    }

    /** A session without a DPoP key (bearer tokens). */
    public CachedSession(String url, String clientId, String agentId, String sessionId, Secret accessToken,
                         Instant expiresAt, Instant refreshAfter, Secret refreshToken, Instant sessionExpiresAt,
                         List<String> scopes, String tier, Instant obtainedAt) {
        this(url, clientId, agentId, sessionId, accessToken, expiresAt, refreshAfter, refreshToken, sessionExpiresAt,
                scopes, tier, obtainedAt, null);
    }

    /** The same session holding {@code key} (its tokens were issued bound to it). */
    public CachedSession withDpopKey(Secret key) {
        return new CachedSession(url, clientId, agentId, sessionId, accessToken, expiresAt, refreshAfter, refreshToken,
                sessionExpiresAt, scopes, tier, obtainedAt, key);
    }

    /** The session a login started. */
    public static CachedSession fromLogin(String url, String clientId, TokenResponse g, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        Optional<UnverifiedJwt> peek = UnverifiedJwt.read(g.accessToken().reveal());
        return new CachedSession(url, clientId, peek.map(UnverifiedJwt::subject).orElse(null), g.sessionId(),
                g.accessToken(), expiry(g, peek, now), refreshAfter(g, now), g.refreshToken(),
                now.plus(g.sessionExpiresIn() == null ? g.expiresIn() : g.sessionExpiresIn()),
                g.scopes(), g.tier(), now);
    }

    /** The token's own {@code exp} when readable (the broker judges by it), else now + {@code expires_in}. */
    private static Instant expiry(TokenResponse g, Optional<UnverifiedJwt> peek, Instant now) {
        return peek.map(UnverifiedJwt::expiresAt).orElse(now.plus(g.expiresIn()));
    }

    /** The client library's {@link RefreshPolicy}: at or after the broker's {@code refresh_after}, jittered, capped. */
    private static Instant refreshAfter(TokenResponse g, Instant now) {
        return RefreshPolicy.defaults().refreshAt(now, g, ThreadLocalRandom.current());
    }

    public AccessToken access() {
        return AccessToken.of(accessToken, expiresAt);
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public boolean dueForRefresh(Instant now) {
        return !now.isBefore(refreshAfter);
    }

    public boolean sessionOver(Instant now) {
        return !now.isBefore(sessionExpiresAt);
    }

    public Duration remaining(Instant now) {
        Duration d = Duration.between(now, expiresAt);
        return d.isNegative() ? Duration.ZERO : d;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", url);
        m.put("client_id", clientId);
        m.put("agent_id", agentId);
        m.put("session_id", sessionId);
        m.put("access_token", accessToken.reveal());
        m.put("expires_at", expiresAt.toString());
        m.put("refresh_after", refreshAfter.toString());
        m.put("refresh_token", refreshToken == null ? null : refreshToken.reveal());
        m.put("session_expires_at", sessionExpiresAt.toString());
        m.put("scopes", scopes);
        m.put("tier", tier);
        m.put("obtained_at", obtainedAt.toString());
        if (dpopKey != null) {
            m.put("dpop_key", dpopKey.reveal());
        }
        return m;
    }

    static CachedSession fromJson(JsonNode j) {
        List<String> scopes = new ArrayList<>();
        j.path("scopes").forEach(s -> scopes.add(s.asText()));
        return new CachedSession(
                j.path("url").asText(),
                j.path("client_id").asText(null),
                j.path("agent_id").asText(null),
                j.path("session_id").asText(null),
                Secret.of(j.path("access_token").asText()),
                Instant.parse(j.path("expires_at").asText()),
                Instant.parse(j.path("refresh_after").asText()),
                j.hasNonNull("refresh_token") ? Secret.of(j.get("refresh_token").asText()) : null,
                Instant.parse(j.path("session_expires_at").asText()),
                scopes,
                j.path("tier").asText(null),
                Instant.parse(j.path("obtained_at").asText()),
                j.hasNonNull("dpop_key") ? Secret.of(j.get("dpop_key").asText()) : null);
    }
}

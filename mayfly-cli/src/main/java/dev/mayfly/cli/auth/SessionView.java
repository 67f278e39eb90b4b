package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the CLI shows about a cached session: identities and times, never a token. */
final class SessionView {
    private SessionView() {
    }

    static Map<String, Object> of(CachedSession s, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("url", s.url());
        m.put("agent_id", s.agentId());
        m.put("client_id", s.clientId());
        m.put("session_id", s.sessionId());
        m.put("scopes", s.scopes());
        m.put("tier", s.tier());
        m.put("expires_at", s.expiresAt().toString());
        m.put("expires_in_s", seconds(now, s.expiresAt()));
        m.put("refresh_after", s.refreshAfter().toString());
        m.put("session_expires_at", s.sessionExpiresAt().toString());
        m.put("session_expires_in_s", seconds(now, s.sessionExpiresAt()));
        return m;
    }

    static long seconds(Instant now, Instant until) {
        return Math.max(0, Duration.between(now, until).getSeconds());
    }

    static void human(java.io.PrintStream out, Map<String, Object> v) {
        out.printf("Logged in to %s as %s (client %s)%n", v.get("url"), v.get("agent_id"), v.get("client_id"));
        out.printf("  session  %s, ends %s (in %ss)%n", v.get("session_id"), v.get("session_expires_at"), v.get("session_expires_in_s"));
        out.printf("  token    expires %s (in %ss), tier %s%n", v.get("expires_at"), v.get("expires_in_s"), v.get("tier"));
        out.printf("  scopes   %s%n", String.join(" ", cast(v.get("scopes"))));
    }

    @SuppressWarnings("unchecked")
    private static java.util.List<String> cast(Object o) {
        return (java.util.List<String>) o;
    }
}

package dev.mayfly.server.oauth;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.core.token.Scopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.RefreshToken;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /oauth/introspect} (RFC 7662), for authenticated clients. An access token is active when it
 * verifies (signature, issuer, time, revocation); a refresh token when it is the current one of a live
 * session, and only to its own client. Anything else is {@code {"active": false}}, with no reason given.
 */
final class IntrospectionEndpoint implements Route {
    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    private final ClientAuthenticator clients;
    private final TokenVerifier anyAudience;
    private final Database db;
    private final SessionStore sessions;
    private final AgentStore agents;
    private final Clock clock;

    IntrospectionEndpoint(ClientAuthenticator clients, TokenVerifier anyAudience, Stores stores, Clock clock) {
        this.clients = clients;
        this.anyAudience = anyAudience;
        this.db = stores.db();
        this.sessions = stores.sessions();
        this.agents = stores.agents();
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) {
        FormParams form = new FormParams(ex.form());
        Agent caller = clients.authenticate(ex, form);
        String token = form.required("token");
        Map<String, Object> body = token.startsWith(SecretKind.REFRESH_TOKEN.prefix())
                ? refreshToken(token, caller)
                : accessToken(token);
        ex.sendJson(200, body, Map.of());
    }

    private Map<String, Object> accessToken(String token) {
        Decision d = anyAudience.verifyIgnoringBinding(token, List.of()); // the token is data here, not a credential
        if (!d.allowed()) {
            return INACTIVE;
        }
        AccessTokenClaims c = d.claims();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("token_type", c.isDpopBound() ? "DPoP" : "Bearer"); // RFC 9449 §6.2: cnf.jkt follows in toMap()
        m.putAll(c.toMap());
        m.values().removeIf(v -> v == null);
        return m;
    }

    private Map<String, Object> refreshToken(String token, Agent caller) {
        Optional<OpaqueSecret> parsed = OpaqueSecret.parse(token, SecretKind.REFRESH_TOKEN);
        if (parsed.isEmpty()) {
            return INACTIVE;
        }
        record Found(RefreshToken row, Session session, Agent agent) {
        }
        Optional<Found> found = db.read(c -> {
            Optional<RefreshToken> row = sessions.refreshTokenByHash(c, parsed.get().hash());
            if (row.isEmpty()) {
                return Optional.empty();
            }
            Session s = sessions.byId(c, row.get().sessionId()).orElseThrow();
            return Optional.of(new Found(row.get(), s, agents.byId(c, s.agentId()).orElseThrow()));
        });
        if (found.isEmpty()) {
            return INACTIVE;
        }
        Found f = found.get();
        boolean active = !f.row().used() && !f.session().ended() && !f.session().expired(clock.instant())
                && !f.agent().disabled() && f.agent().agentId().equals(caller.agentId());
        if (!active) {
            return INACTIVE;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("token_type", "refresh_token");
        m.put("client_id", f.agent().clientId());
        m.put("sub", f.agent().agentId());
        m.put("scope", Scopes.join(f.session().scopes()));
        m.put("sid", f.session().sessionId());
        m.put("iat", f.row().issuedAt().getEpochSecond());
        m.put("exp", f.session().expiresAt().getEpochSecond());
        return m;
    }
}

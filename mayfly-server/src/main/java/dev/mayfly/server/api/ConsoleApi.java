package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.secret.RandomIds;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.console.ConsoleAssets;
import dev.mayfly.server.console.ConsoleAuth;
import dev.mayfly.server.console.ConsoleCookies;
import dev.mayfly.server.console.ConsoleLogins;
import dev.mayfly.server.console.LiveSessions;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.oauth.Verifiers;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's endpoints. {@code POST /v1/console/links} (admin, bearer): a one-time console link.
 * {@code POST /console/api/login}: the page trades the link's code for the console cookies. Then, with the
 * cookie: {@code renew} (a fresh token for the same console session), {@code logout} (revokes it), and the two
 * views the {@code /v1} API does not have, {@code sessions} and {@code agents} with their tier. Everything else
 * the console reads from {@code /v1} with the same cookie (see {@link ConsoleAuth}).
 */
public final class ConsoleApi {
    private static final List<String> ADMIN = List.of(TtlPolicy.ADMIN_SCOPE);
    private static final int MAX_AGENTS = 500;

    private final TokenVerifier verifier;
    private final ConsoleLogins logins;
    private final LiveSessions sessions;
    private final Stores stores;
    private final Revoker revoker;
    private final TtlPolicy policy;
    private final Clock clock;

    ConsoleApi(TokenVerifier verifier, ConsoleLogins logins, LiveSessions sessions, Stores stores, Revoker revoker,
               TtlPolicy policy, Clock clock) {
        this.verifier = verifier;
        this.logins = logins;
        this.sessions = sessions;
        this.stores = stores;
        this.revoker = revoker;
        this.policy = policy;
        this.clock = clock;
    }

    /** Mounts the console: its page and assets under {@code /console/}, its endpoints, and the link endpoint under {@code /v1}. */
    public static void install(Router router, Verifiers verifiers, Stores stores, ConsoleLogins logins, LiveSessions sessions,
                               Revoker revoker, TtlPolicy policy, Clock clock) {
        new ConsoleApi(verifiers.brokerAudience(), logins, sessions, stores, revoker, policy, clock).install(router);
        ConsoleAssets assets = new ConsoleAssets();
        router.add("GET", "/console", assets).add("GET", "/console/{file}", assets);
    }

    private void install(Router router) {
        router.add("POST", "/v1/console/links", this::link)
                .add("POST", "/console/api/login", this::login)
                .add("POST", "/console/api/renew", this::renew)
                .add("POST", "/console/api/logout", this::logout)
                .add("GET", "/console/api/sessions", this::sessions)
                .add("GET", "/console/api/agents", this::agents);
    }

    private void link(HttpExchange ex) {
        AccessTokenClaims caller = V1Auth.require(ex, verifier, ADMIN);
        ConsoleLogins.Link link = logins.createLink(ex.context(), caller);
        Map<String, Object> data = new LinkedHashMap<>();
        // The code rides in the fragment: browsers send no fragment to a server, so it stays out of access logs
        // and Referer headers; the page reads it and posts it once.
        data.put("path", "/console/#code=" + link.code().secret().reveal());
        data.put("expires_at", link.expiresAt().toString());
        data.put("link_session_id", link.linkSessionId());
        Envelopes.ok(ex, 201, data, List.of("The link works once, for " + ConsoleLogins.LINK_TTL.toSeconds() + " s."));
    }

    private void login(HttpExchange ex) {
        ConsoleAuth.requireSameOriginRequest(ex);
        JsonNode body = ex.json();
        String code = body.path("code").isTextual() ? body.get("code").asText() : null;
        if (code == null) {
            throw new MayflyException(ErrorCode.USAGE, "The body must be {\"code\": ...}, the code of a console link.");
        }
        ConsoleLogins.Login login = logins.redeem(ex.context(), code);
        ConsoleCookies.set(ex, login.token().token(), RandomIds.next("csrf_", 32), untilSessionEnd(login));
        answer(ex, login);
    }

    private void renew(HttpExchange ex) {
        requireCookie(ex);
        AccessTokenClaims caller = V1Auth.require(ex, verifier, ADMIN);
        ConsoleLogins.Login login = logins.renew(ex.context(), caller);
        ConsoleCookies.set(ex, login.token().token(), null, untilSessionEnd(login));
        answer(ex, login);
    }

    private void logout(HttpExchange ex) {
        requireCookie(ex);
        AccessTokenClaims caller = V1Auth.require(ex, verifier, List.of());
        revoker.revokeSession(ex.context(), caller.sessionId(), "console logout");
        ConsoleCookies.clear(ex);
        Envelopes.ok(ex, Map.of("session_id", caller.sessionId(), "ended", true));
    }

    private void sessions(HttpExchange ex) {
        requireCookie(ex);
        V1Auth.require(ex, verifier, ADMIN);
        Envelopes.ok(ex, sessions.view());
    }

    private void agents(HttpExchange ex) {
        requireCookie(ex);
        V1Auth.require(ex, verifier, ADMIN);
        List<Agent> all = stores.db().read(c -> stores.agents().list(c, null, MAX_AGENTS));
        List<Map<String, Object>> views = new ArrayList<>();
        for (Agent a : all) {
            Map<String, Object> v = new LinkedHashMap<>(a.toView());
            v.put("tier", policy.tierOf(a.scopes(), a.audiences()).wireName());
            views.add(v);
        }
        Envelopes.ok(ex, Map.of("agents", views, "truncated", all.size() == MAX_AGENTS));
    }

    /** The console's own endpoints take the cookie only: a bearer caller has the {@code /v1} API. */
    private static void requireCookie(HttpExchange ex) {
        if (ex.header("Authorization") != null) {
            throw new MayflyException(ErrorCode.USAGE, "The console's endpoints take the console cookie, not a bearer token.");
        }
    }

    private Duration untilSessionEnd(ConsoleLogins.Login login) {
        return Duration.between(clock.instant(), login.session().expiresAt());
    }

    private void answer(HttpExchange ex, ConsoleLogins.Login login) {
        ex.redactResponses();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("session_id", login.session().sessionId());
        data.put("agent_id", login.session().agentId());
        data.put("session_expires_at", login.session().expiresAt().toString());
        data.put("token_expires_at", login.token().expiresAt().toString());
        data.put("refresh_after", login.token().refreshAfter());
        data.put("now", clock.instant().toString());
        Envelopes.ok(ex, data);
    }
}

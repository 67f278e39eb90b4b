package dev.mayfly.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.text.AsciiDecimal;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.http.ClientText;
import dev.mayfly.server.audit.IssuedTokens;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.TokenVerifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code /v1/revocations}: revoke by {@code jti}, {@code session_id}, {@code task_id} or {@code agent_id}, and
 * list the log by sequence. Holders of {@code mayfly:admin} or {@code mayfly:revoke} may revoke anything; any
 * caller may revoke what is its agent's own (its tokens, sessions and tasks, or itself), with any of its tokens.
 * A task is named by {@code task_id} and, for another agent's, {@code agent_id}: task ids are scoped to their
 * agent. Effective at once: the response is sent after the revocation is durable and applied.
 */
final class RevocationsApi {
    static final String REVOKE_SCOPE = "mayfly:revoke";
    static final String READ_SCOPE = "mayfly:revocations:read";
    private static final List<String> TARGETS = List.of("jti", "session_id", "task_id", "agent_id");
    private static final int MAX_PAGE = 1000;
    static final int MAX_REASON = 500;
    private static final Pattern TARGET = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final IssuedTokens ISSUED = new IssuedTokens();

    private final TokenVerifier anyAudience;
    private final Stores stores;
    private final Revoker revoker;
    private final Route stream;

    RevocationsApi(TokenVerifier anyAudience, Stores stores, Revoker revoker, Route stream) {
        this.anyAudience = anyAudience;
        this.stores = stores;
        this.revoker = revoker;
        this.stream = stream;
    }

    void install(Router router) {
        router.add("POST", "/v1/revocations", this::create)
                .add("GET", "/v1/revocations", this::list)
                .add("GET", "/v1/revocations/stream", stream);
    }

    private void create(HttpExchange ex) {
        AccessTokenClaims caller = V1Auth.require(ex, anyAudience, List.of());
        JsonNode body = ex.json();
        List<String> given = new ArrayList<>();
        for (String t : TARGETS) {
            if (body.path(t).isTextual() && !body.get(t).asText().isBlank()) {
                given.add(t);
            }
        }
        // A task id names a task only within its agent: task_id may come with agent_id (whose task), and
        // without it means the caller's own.
        boolean task = given.contains("task_id");
        if (task) {
            given.remove("agent_id");
        }
        if (given.size() != 1) {
            throw new MayflyException(ErrorCode.USAGE, "Give exactly one of jti, session_id, task_id or agent_id "
                    + "(task_id may come with agent_id, the agent whose task it is; optionally a reason).");
        }
        String kind = given.get(0);
        String target = checkedTarget(kind, body.get(kind).asText());
        boolean ownerNamed = body.path("agent_id").isTextual() && !body.get("agent_id").asText().isBlank();
        if (task && !ownerNamed && caller.scopes().contains(TtlPolicy.ADMIN_SCOPE)) {
            // An admin runs no tasks of its own, so a bare task id means someone else's: taken as the admin's
            // own it would answer 201 while the task meant lives on. (An agent holding mayfly:revoke still
            // names its own task by the bare id.)
            throw new MayflyException(ErrorCode.USAGE, "Name the agent whose task it is: give agent_id with task_id "
                    + "(task ids are scoped to their agent).");
        }
        String owner = task ? (ownerNamed ? checkedTarget("agent_id", body.get("agent_id").asText()) : caller.subject())
                : null;
        // The reason is served to every reader of the log and the feed: a secret pasted into it is masked.
        String reason = body.path("reason").isTextual() ? ClientText.redacted(body.get("reason").asText(), MAX_REASON) : null;
        if (!mayRevokeAnything(caller) && !isOwn(caller, kind, target, owner)) {
            throw new MayflyException(MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                            "Revoking another agent's " + kind + " needs scope " + REVOKE_SCOPE + " or " + TtlPolicy.ADMIN_SCOPE + ".")
                    .requiredScope(REVOKE_SCOPE)
                    .missingScopes(List.of(REVOKE_SCOPE))
                    .build());
        }
        RevocationEvent r;
        switch (kind) {
            case "jti":
                r = revoker.revokeToken(ex.context(), target, target.equals(caller.jwtId()) ? caller.expiresAt() : null, reason);
                break;
            case "session_id":
                r = revoker.revokeSession(ex.context(), target, reason);
                break;
            case "task_id":
                if (!owner.equals(caller.subject()) && stores.db().read(c -> stores.agents().byId(c, owner)).isEmpty()) {
                    throw new MayflyException(ErrorCode.NOT_FOUND, "No agent with id " + owner + ".");
                }
                r = revoker.revokeTask(ex.context(), owner, target, reason);
                break;
            default:
                if (stores.db().read(c -> stores.agents().byId(c, target)).isEmpty()) {
                    throw new MayflyException(ErrorCode.NOT_FOUND, "No agent with id " + target + ".");
                }
                r = revoker.disableAgentKeepingAnAdmin(ex.context(), target, reason);
                break;
        }
        Envelopes.ok(ex, 201, r.toView(), List.of());
    }

    /** The feed is readable with {@code mayfly:revocations:read} or {@code mayfly:admin}. */
    static void requireReader(AccessTokenClaims caller) {
        if (!caller.scopes().contains(READ_SCOPE) && !caller.scopes().contains(TtlPolicy.ADMIN_SCOPE)) {
            throw new MayflyException(MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                            "Reading the revocation log needs scope " + READ_SCOPE + ".")
                    .requiredScope(READ_SCOPE)
                    .missingScopes(List.of(READ_SCOPE))
                    .build());
        }
    }

    private void list(HttpExchange ex) {
        requireReader(V1Auth.require(ex, anyAudience, List.of()));
        Map<String, List<String>> q = ex.query();
        long since = q.containsKey("since") ? parseLong(q.get("since").get(0), "since") : 0;
        int limit = q.containsKey("limit") ? (int) Math.min(MAX_PAGE, Math.max(1, parseLong(q.get("limit").get(0), "limit"))) : 100;
        List<RevocationEvent> page = stores.db().read(c -> stores.revocations().since(c, since, limit));
        List<Map<String, Object>> views = new ArrayList<>();
        page.forEach(r -> views.add(r.toView()));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("revocations", views);
        data.put("next_since", page.isEmpty() ? since : page.get(page.size() - 1).seq());
        data.put("more", page.size() == limit);
        Envelopes.ok(ex, data);
    }

    /**
     * A target is an id (Mayfly's are base62 with a prefix; task ids are the caller's, of the same characters):
     * it is stored in the revocation log and sent to every verifier and webhook, so one that is not an id, or
     * that holds a secret (a token pasted where its jti goes), is refused rather than published.
     */
    private static String checkedTarget(String kind, String target) {
        if (!TARGET.matcher(target).matches()) {
            throw new MayflyException(ErrorCode.USAGE, "'" + kind + "' must be an id: 1-128 characters of A-Z a-z 0-9 . _ : -");
        }
        if (ClientText.holdsSecret(target)) {
            throw new MayflyException(ErrorCode.USAGE, "'" + kind + "' looks like a secret, not an id; to revoke a leaked "
                    + "token, report it at POST /v1/leaks.");
        }
        return target;
    }

    private static boolean mayRevokeAnything(AccessTokenClaims c) {
        return c.scopes().contains(TtlPolicy.ADMIN_SCOPE) || c.scopes().contains(REVOKE_SCOPE);
    }

    /**
     * Whether the caller's agent owns the target, whichever of its tokens it presents: a session token may
     * revoke the agent's tasks, its task tokens (known by their issuance records) and its other sessions.
     */
    private boolean isOwn(AccessTokenClaims c, String kind, String target, String taskOwner) {
        switch (kind) {
            case "jti":
                return target.equals(c.jwtId()) || c.subject().equals(stores.db().read(db -> ISSUED.byJti(db, target))
                        .map(IssuedTokens.IssuedToken::agentId).orElse(null));
            case "session_id":
                return target.equals(c.sessionId()) || c.subject().equals(stores.db().read(db -> stores.sessions().byId(db, target))
                        .map(Session::agentId).orElse(null));
            case "task_id":
                return taskOwner.equals(c.subject());
            default:
                return target.equals(c.subject());
        }
    }

    static long parseLong(String s, String name) {
        try {
            return AsciiDecimal.parse(s); // ASCII digits only: no sign, no other script's digits
        } catch (NumberFormatException e) {
            throw new MayflyException(ErrorCode.USAGE, "'" + name + "' must be a non-negative integer in ASCII digits.");
        }
    }

}

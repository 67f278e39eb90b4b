package dev.mayfly.server.api;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.AuditQuery;
import dev.mayfly.server.audit.AuditRecord;
import dev.mayfly.server.audit.AuditVerification;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Router;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /v1/audit} (scope {@code mayfly:audit:read} or {@code mayfly:admin}): query the trail by agent,
 * session, task, {@code jti}, event and time, cursor-paginated by sequence; verify the hash chain; and
 * trace a token back to its task, session and agent.
 */
final class AuditApi {
    static final String READ_SCOPE = "mayfly:audit:read";
    private static final int MAX_PAGE = 1000;

    private final TokenVerifier verifier;
    private final AuditLog audit;

    AuditApi(TokenVerifier verifier, AuditLog audit) {
        this.verifier = verifier;
        this.audit = audit;
    }

    void install(Router router) {
        router.add("GET", "/v1/audit", this::query)
                .add("GET", "/v1/audit/verify", this::verify)
                .add("GET", "/v1/audit/trace/{jti}", this::trace);
    }

    private void requireReader(HttpExchange ex) {
        AccessTokenClaims caller = V1Auth.require(ex, verifier, List.of());
        if (!caller.scopes().contains(READ_SCOPE) && !caller.scopes().contains(TtlPolicy.ADMIN_SCOPE)) {
            throw new MayflyException(MayflyError.builder(ErrorCode.PERMISSION_DENIED,
                            "Reading the audit trail needs scope " + READ_SCOPE + ".")
                    .requiredScope(READ_SCOPE)
                    .missingScopes(List.of(READ_SCOPE))
                    .build());
        }
    }

    private void query(HttpExchange ex) {
        requireReader(ex);
        Map<String, List<String>> q = ex.query();
        int limit = q.containsKey("limit") ? (int) Math.min(MAX_PAGE, Math.max(1, RevocationsApi.parseLong(one(q, "limit"), "limit"))) : 100;
        long after = q.containsKey("after") ? RevocationsApi.parseLong(one(q, "after"), "after") : 0;
        if (one(q, "task_id") != null && one(q, "agent_id") == null && one(q, "session_id") == null) {
            // Task ids are chosen by agents and scoped to them: alone, one would mix the tasks of every agent that chose it.
            throw new MayflyException(ErrorCode.USAGE, "task_id names a task only within its agent: give agent_id (or session_id) with it.");
        }
        List<AuditRecord> page = audit.query(new AuditQuery(one(q, "agent_id"), one(q, "session_id"),
                one(q, "task_id"), one(q, "jti"), one(q, "event"), instant(q, "since"), instant(q, "until"), after, limit));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("records", page.stream().map(AuditRecord::toView).toList());
        data.put("next_after", page.size() == limit ? page.get(page.size() - 1).seq() : null);
        Envelopes.ok(ex, data);
    }

    private void verify(HttpExchange ex) {
        requireReader(ex);
        AuditVerification v = audit.verify();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("valid", v.valid());
        data.put("checked", v.checked());
        data.put("first_bad_seq", v.firstBadSeq());
        data.put("problem", v.problem());
        data.put("head_hash", v.headHash());
        data.put("nodes", v.nodes().stream().map(AuditApi::nodeView).toList());
        Map<String, Object> checkpoints = new LinkedHashMap<>();
        checkpoints.put("in_database", v.checkpoints().inDatabase());
        checkpoints.put("in_files", v.checkpoints().inFiles());
        checkpoints.put("invalid", v.checkpoints().invalid());
        checkpoints.put("newest_at", v.checkpoints().newestAt());
        data.put("checkpoints", checkpoints);
        Envelopes.ok(ex, 200, data, v.valid() ? List.of() : List.of("The audit chain is broken: " + v.problem() + "."));
    }

    private static Map<String, Object> nodeView(AuditVerification.NodeChain n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", n.node());
        m.put("keyed", n.keyed());
        m.put("valid", n.valid());
        m.put("records", n.records());
        m.put("head_seq", n.headSeq());
        m.put("head_hash", n.headHash());
        m.put("checkpoint_seq", n.checkpointSeq());
        m.put("first_bad_seq", n.firstBadSeq());
        m.put("first_bad_node_seq", n.firstBadNodeSeq());
        m.put("problem", n.problem());
        return m;
    }

    /** From a jti to its token record, the task and session it belongs to, and the agent. */
    private void trace(HttpExchange ex) {
        requireReader(ex);
        String jti = ex.pathParam("jti");
        List<AuditRecord> issued = audit.query(new AuditQuery(null, null, null, jti, null, null, null, 0, 10));
        AuditRecord token = issued.stream().filter(r -> r.event().startsWith("token.") || r.event().equals("session.started"))
                .findFirst()
                .orElseThrow(() -> new MayflyException(ErrorCode.NOT_FOUND, "No token with jti " + jti + " in the audit trail."));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("agent", first(new AuditQuery(token.agentId(), null, null, null, "agent.created", null, null, 0, 1)));
        data.put("session", first(new AuditQuery(null, token.sessionId(), null, null, "session.started", null, null, 0, 1)));
        data.put("task", token.taskId() == null ? null
                : first(new AuditQuery(token.agentId(), null, token.taskId(), null, "token.exchanged", null, null, 0, 1)));
        data.put("token", token.toView());
        data.put("events", issued.stream().map(AuditRecord::toView).toList());
        Envelopes.ok(ex, data);
    }

    private Map<String, Object> first(AuditQuery q) {
        List<AuditRecord> r = audit.query(q);
        return r.isEmpty() ? null : r.get(0).toView();
    }

    private static String one(Map<String, List<String>> q, String name) {
        List<String> v = q.get(name);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
    }

    private static Instant instant(Map<String, List<String>> q, String name) {
        String v = one(q, name);
        try {
            return v == null ? null : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new MayflyException(ErrorCode.USAGE, "'" + name + "' must be an ISO-8601 instant like 2026-11-22T14:00:00Z.");
        }
    }
}

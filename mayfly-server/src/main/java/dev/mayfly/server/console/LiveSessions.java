package dev.mayfly.server.console;

import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.AuditQuery;
import dev.mayfly.server.audit.AuditRecord;
import dev.mayfly.server.store.Agent;
import dev.mayfly.server.store.Session;
import dev.mayfly.server.store.Stores;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The console's sessions view: every session not yet past its lifetime, its agent, the access tokens issued in it
 * that have not expired (from the audit trail's issuance records; the broker keeps no table of access tokens),
 * and its tasks, each marked revoked when a revocation in force covers it. Times are the broker's, and the view
 * says what "now" is so the page can count down against the broker's clock, not the browser's. Stateless.
 */
public final class LiveSessions {
    private static final Set<String> ISSUANCES = Set.of("session.started", "token.refreshed", "token.exchanged");
    private static final int MAX_SESSIONS = 200;
    private static final int MAX_RECORDS_PER_SESSION = 1000;

    private final Stores stores;
    private final AuditLog audit;
    private final Clock clock;

    public LiveSessions(Stores stores, AuditLog audit, Clock clock) {
        this.stores = stores;
        this.audit = audit;
        this.clock = clock;
    }

    public Map<String, Object> view() {
        Instant now = clock.instant();
        List<Session> sessions = stores.db().read(c -> stores.sessions().unexpired(c, now, MAX_SESSIONS));
        Revoked revoked = new Revoked(stores.db().read(c -> stores.revocations().active(c, now)));
        Map<String, Agent> agents = new HashMap<>();
        List<Map<String, Object>> views = new ArrayList<>();
        for (Session s : sessions) {
            Agent agent = agents.computeIfAbsent(s.agentId(), id -> stores.db().read(c -> stores.agents().byId(c, id)).orElse(null));
            views.add(session(s, agent, revoked, now));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("now", now.toString());
        data.put("sessions", views);
        return data;
    }

    private Map<String, Object> session(Session s, Agent agent, Revoked revoked, Instant now) {
        boolean sessionRevoked = s.ended() || revoked.session(s.sessionId()) || revoked.agent(s.agentId());
        List<Map<String, Object>> tokens = new ArrayList<>();
        Map<String, Map<String, Object>> tasks = new LinkedHashMap<>();
        for (AuditRecord r : audit.query(new AuditQuery(null, s.sessionId(), null, null, null, null, null, 0, MAX_RECORDS_PER_SESSION))) {
            Instant expires = expiresAt(r);
            if (!ISSUANCES.contains(r.event()) || r.jti() == null || expires == null || !expires.isAfter(now)) {
                continue;
            }
            boolean taskRevoked = r.taskId() != null && revoked.task(s.agentId(), r.taskId());
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("jti", r.jti());
            t.put("task_id", r.taskId());
            t.put("scopes", r.scopes());
            t.put("tier", r.tier());
            t.put("issued_at", r.at().toString());
            t.put("expires_at", expires.toString());
            t.put("revoked", sessionRevoked || taskRevoked || revoked.token(r.jti()));
            tokens.add(t);
            if (r.taskId() != null) {
                Map<String, Object> task = tasks.computeIfAbsent(r.taskId(), id -> new LinkedHashMap<>(Map.of("task_id", id, "tokens", 0)));
                task.put("tokens", (int) task.get("tokens") + 1);
                task.put("revoked", sessionRevoked || taskRevoked);
                task.put("expires_at", expires.toString());
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("session_id", s.sessionId());
        v.put("agent_id", s.agentId());
        v.put("agent_name", agent == null ? null : agent.name());
        v.put("agent_kind", agent == null ? null : agent.kind().wireName());
        v.put("scopes", s.scopes());
        v.put("created_at", s.createdAt().toString());
        v.put("expires_at", s.expiresAt().toString());
        v.put("status", s.ended() ? "ended" : sessionRevoked ? "revoked" : "live");
        v.put("end_reason", s.endReason());
        v.put("console", s.scopes().contains(ConsoleLogins.LINK_SCOPE) ? "link" : null);
        v.put("tokens", tokens);
        v.put("tasks", new ArrayList<>(tasks.values()));
        return v;
    }

    private static Instant expiresAt(AuditRecord r) {
        Object at = r.details() == null ? null : r.details().get("expires_at");
        try {
            return at instanceof String ? Instant.parse((String) at) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The revocations in force, by what they cover. */
    private static final class Revoked {
        private final Set<String> tokens = new HashSet<>();
        private final Set<String> sessions = new HashSet<>();
        private final Set<String> agents = new HashSet<>();
        private final Set<String> tasks = new HashSet<>();
        private final Set<String> anyAgentTasks = new HashSet<>();

        Revoked(List<RevocationEvent> active) {
            for (RevocationEvent r : active) {
                if (r.kind() == Revocation.Granularity.TOKEN) {
                    tokens.add(r.target());
                } else if (r.kind() == Revocation.Granularity.SESSION) {
                    sessions.add(r.target());
                } else if (r.kind() == Revocation.Granularity.AGENT) {
                    agents.add(r.target());
                } else if (r.scopedToAgent()) {
                    tasks.add(r.agentId() + "\n" + r.target());
                } else {
                    anyAgentTasks.add(r.target()); // a legacy task revocation covers the id for every agent
                }
            }
        }

        boolean token(String jti) {
            return tokens.contains(jti);
        }

        boolean session(String id) {
            return sessions.contains(id);
        }

        boolean agent(String id) {
            return agents.contains(id);
        }

        boolean task(String agentId, String taskId) {
            return tasks.contains(agentId + "\n" + taskId) || anyAgentTasks.contains(taskId);
        }
    }
}

package dev.mayfly.cli.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The audit trail's filters, shared by {@code mayfly audit} and {@code mayfly audit export}. */
public final class AuditFilters {
    @Option(names = "--agent", paramLabel = "AGENT_ID", description = "Only records of this agent.")
    String agent;

    @Option(names = "--session", paramLabel = "SESSION_ID", description = "Only records of this session.")
    String session;

    @Option(names = "--task", paramLabel = "TASK_ID", description = "Only records of this task (with --agent or --session: task ids are scoped to their agent).")
    String task;

    @Option(names = "--jti", paramLabel = "JTI", description = "Only records naming this token.")
    String jti;

    @Option(names = "--event", paramLabel = "EVENT", description = "Only this event (session.started, token.exchanged...).")
    String event;

    @Option(names = "--since", paramLabel = "ISO", description = "From this instant (2026-11-22T14:00:00Z).")
    String since;

    @Option(names = "--until", paramLabel = "ISO", description = "Before this instant.")
    String until;

    /** The query string for {@code GET /v1/audit}, with the cursor and page size. */
    String query(long after, int limit) {
        Map<String, String> q = new LinkedHashMap<>();
        put(q, "agent_id", agent);
        put(q, "session_id", session);
        put(q, "task_id", task);
        put(q, "jti", jti);
        put(q, "event", event);
        put(q, "since", since);
        put(q, "until", until);
        q.put("after", Long.toString(after));
        q.put("limit", Integer.toString(limit));
        return "?" + q.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void put(Map<String, String> q, String k, String v) {
        if (v != null && !v.isBlank()) {
            q.put(k, v);
        }
    }
}

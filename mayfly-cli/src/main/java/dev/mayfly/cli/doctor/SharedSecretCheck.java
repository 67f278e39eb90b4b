package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.time.Durations;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * No agent-global shared credentials: agents whose one client secret is used by several concurrent
 * instances, found in the audit trail of the last {@code --window} by {@link SessionOverlap}. Any found:
 * warn (give each instance its own agent, or per-task tokens from one holder), with the agents, their
 * interleaving sessions and the client addresses seen.
 */
final class SharedSecretCheck implements Check {
    static final String ID = "shared-secrets";
    /** Session activity the heuristic reads. */
    static final List<String> EVENTS = List.of("session.started", "token.refreshed", "token.exchanged");
    /** Per event type, at most this many records are read; beyond it the evidence says so. */
    static final int MAX_RECORDS = 50_000;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        Instant since = d.clock().instant().minus(d.settings().window());
        SessionOverlap overlap = new SessionOverlap();
        int read = 0;
        boolean truncated = false;
        for (String event : EVENTS) {
            long after = 0;
            int forEvent = 0;
            while (true) {
                JsonNode page = d.adminGet("/v1/audit?event=" + event + "&since="
                        + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8) + "&after=" + after + "&limit=1000");
                for (JsonNode r : page.path("records")) {
                    overlap.add(new SessionOverlap.Use(r.path("seq").asLong(), r.path("agent_id").asText(null),
                            r.path("session_id").asText(null), r.path("client_addr").asText(null)));
                    forEvent++;
                }
                if (!page.path("next_after").canConvertToLong() || page.path("next_after").isNull()) {
                    break;
                }
                if (forEvent >= MAX_RECORDS) {
                    truncated = true;
                    break;
                }
                after = page.get("next_after").asLong();
            }
            read += forEvent;
        }
        Map<String, String> names = new HashMap<>();
        try {
            d.agents().forEach(a -> names.put(a.path("agent_id").asText(), a.path("name").asText()));
        } catch (RuntimeException e) {
            // Names are a convenience; ids identify the agents.
        }
        List<Map<String, Object>> shared = new ArrayList<>();
        for (SessionOverlap.Shared s : overlap.shared()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agent_id", s.agentId());
            m.put("name", names.get(s.agentId()));
            m.put("interleavings", s.interleavings());
            m.put("sessions", s.sessions().size() > 10 ? s.sessions().subList(0, 10) : s.sessions());
            m.put("client_addrs", s.clientAddresses());
            shared.add(m);
        }
        Evidence e = Evidence.of().with("window", Durations.format(d.settings().window())).with("since", since.toString())
                .with("records_read", read).with("sessions_seen", overlap.sessions()).with("truncated", truncated ? true : null)
                .with("shared", shared);
        if (!shared.isEmpty()) {
            Map<String, Object> first = shared.get(0);
            return CheckResult.warn(ID, shared.size() + " agent(s) with one client secret in several concurrent instances (e.g. "
                    + (first.get("name") != null ? first.get("name") : first.get("agent_id")) + ": "
                    + first.get("interleavings") + " interleaving session pair(s)); give each instance its own agent.", e);
        }
        return CheckResult.pass(ID, "No client secret used by concurrent instances in the last "
                + Durations.format(d.settings().window()) + " (" + overlap.sessions() + " sessions).", e);
    }
}

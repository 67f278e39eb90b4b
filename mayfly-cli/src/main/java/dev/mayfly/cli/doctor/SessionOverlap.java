package dev.mayfly.cli.doctor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The heuristic behind "one client secret, several concurrent instances", read from the audit trail.
 *
 * <p>Each login with a client secret starts a session; one running instance uses one session at a time
 * (it refreshes it and exchanges it for task tokens, and a restarted instance abandons its old session
 * for a new one). So when an agent's session A is still being used (a {@code token.refreshed} or
 * {@code token.exchanged} naming it) <em>after</em> another of its sessions B started, two holders of the
 * same secret are running side by side: A and B <em>interleave</em>. Order is by audit sequence number,
 * never by timestamp, so it is exact however coarse the clock. Different client addresses among the
 * sessions are reported as corroboration, not required (instances on one host share an address).
 *
 * <p>Not flagged: processes sharing one session through one credential cache (they hold one session, not
 * several), and a restart that abandons its old session. Not thread-safe.
 */
final class SessionOverlap {
    /** One audit record as far as the heuristic cares. */
    record Use(long seq, String agentId, String sessionId, String clientAddress) {
    }

    /** An agent whose sessions interleave. */
    record Shared(String agentId, List<String> sessions, List<String> clientAddresses, int interleavings) {
    }

    private static final class Span {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final Set<String> addresses = new TreeSet<>();
    }

    private final Map<String, Map<String, Span>> byAgent = new LinkedHashMap<>();

    void add(Use use) {
        if (use.agentId() == null || use.sessionId() == null) {
            return;
        }
        Span s = byAgent.computeIfAbsent(use.agentId(), a -> new LinkedHashMap<>())
                .computeIfAbsent(use.sessionId(), x -> new Span());
        s.first = Math.min(s.first, use.seq());
        s.last = Math.max(s.last, use.seq());
        if (use.clientAddress() != null) {
            s.addresses.add(use.clientAddress());
        }
    }

    /** Agents whose sessions interleave, most interleavings first. */
    List<Shared> shared() {
        List<Shared> out = new ArrayList<>();
        byAgent.forEach((agent, sessions) -> {
            List<Map.Entry<String, Span>> spans = new ArrayList<>(sessions.entrySet());
            spans.sort(Comparator.comparingLong(en -> en.getValue().first));
            Set<String> involved = new LinkedHashSet<>();
            Set<String> addresses = new TreeSet<>();
            int pairs = 0;
            for (int i = 0; i < spans.size(); i++) {
                for (int j = i + 1; j < spans.size(); j++) {
                    Span a = spans.get(i).getValue();
                    Span b = spans.get(j).getValue();
                    if (a.last > b.first) { // A used again after B started
                        pairs++;
                        involved.add(spans.get(i).getKey());
                        involved.add(spans.get(j).getKey());
                        addresses.addAll(a.addresses);
                        addresses.addAll(b.addresses);
                    }
                }
            }
            if (pairs > 0) {
                out.add(new Shared(agent, List.copyOf(involved), List.copyOf(addresses), pairs));
            }
        });
        out.sort(Comparator.comparingInt(Shared::interleavings).reversed());
        return out;
    }

    /** How many distinct sessions were seen. */
    int sessions() {
        return byAgent.values().stream().mapToInt(Map::size).sum();
    }
}

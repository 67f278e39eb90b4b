package dev.mayfly.server.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A signed statement by one node, at one instant, of every node's chain head: whatever the chains hold later,
 * each must still contain each named head. Its MAC ({@link AuditChainKey#checkpoint}) covers {@link #canonical}.
 */
record AuditCheckpoint(String writer, Instant at, Map<String, Head> heads) {

    /** A chain's last record as the checkpoint saw it. */
    record Head(long seq, String hash) {
    }

    Map<String, Object> canonical() {
        Map<String, Object> heads = new TreeMap<>();
        this.heads.forEach((node, h) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", h.seq());
            m.put("hash", h.hash());
            heads.put(node, m);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("writer", writer);
        m.put("at", at.toEpochMilli());
        m.put("heads", heads);
        return m;
    }
}

package dev.mayfly.core.revocation;

import dev.mayfly.core.token.AccessTokenClaims;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocations that still cover live tokens, in memory, answering the verifier on every request: the
 * broker keeps one fed by its own store, a resource server one fed by the revocation feed. An entry is
 * dropped once every token it covers has expired ({@code covers_until}, which includes the leeway), so
 * the set is bounded by the revocation rate times the longest token lifetime, not by history.
 *
 * <p>Task ids are scoped to their agent: a task revocation that names its agent covers only that agent's
 * tokens for the task (another agent choosing the same task id is untouched); one without an agent (from a
 * broker older than the scoping) covers the task id for every agent, as it did when it was written.
 * Thread-safe; lookups are lock-free.
 */
public final class RevocationSet implements RevocationSource {
    private static final Revocation.Granularity[] BROADEST_FIRST = {
        Revocation.Granularity.AGENT, Revocation.Granularity.SESSION, Revocation.Granularity.TASK, Revocation.Granularity.TOKEN
    };

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    private record Entry(Revocation revocation, Instant coversUntil) {
    }

    public RevocationSet(Clock clock) {
        this.clock = clock;
    }

    /**
     * Records a revocation that names no owning agent (for a task: every agent's task of that id); an entry
     * already past {@code coversUntil} is not stored. Of two entries for one target the one that covers longer
     * wins.
     */
    public void add(Revocation.Granularity kind, String target, String reason, Instant coversUntil) {
        put(key(kind, target), new Revocation(kind, reason), coversUntil);
    }

    /** Records an acknowledged revocation: what the store, the broker's sync and the feed hand over. */
    public void add(RevocationEvent event) {
        if (event.kind() == Revocation.Granularity.TASK && event.scopedToAgent()) {
            put(taskKey(event.agentId(), event.target()), new Revocation(event.kind(), event.reason()), event.coversUntil());
        } else {
            add(event.kind(), event.target(), event.reason(), event.coversUntil());
        }
    }

    private void put(String key, Revocation revocation, Instant coversUntil) {
        if (!clock.instant().isBefore(coversUntil)) {
            return;
        }
        entries.merge(key, new Entry(revocation, coversUntil),
                (old, neu) -> neu.coversUntil().isAfter(old.coversUntil()) ? neu : old);
    }

    @Override
    public Optional<Revocation> find(AccessTokenClaims claims) {
        Instant now = clock.instant();
        for (Revocation.Granularity g : BROADEST_FIRST) {
            String target = target(g, claims);
            if (target == null) {
                continue;
            }
            Entry e = entries.get(key(g, target));
            if (e == null && g == Revocation.Granularity.TASK && claims.subject() != null) {
                e = entries.get(taskKey(claims.subject(), target));
            }
            if (e != null && now.isBefore(e.coversUntil())) {
                return Optional.of(e.revocation());
            }
        }
        return Optional.empty();
    }

    /** Drops entries whose tokens have all expired; returns how many were dropped. */
    public int prune() {
        Instant now = clock.instant();
        int before = entries.size();
        entries.values().removeIf(e -> !now.isBefore(e.coversUntil()));
        return before - entries.size();
    }

    /** Entries held now, including ones past their time that {@link #prune} has not dropped yet. */
    public int size() {
        return entries.size();
    }

    private static String target(Revocation.Granularity g, AccessTokenClaims c) {
        switch (g) {
            case AGENT: return c.subject();
            case SESSION: return c.sessionId();
            case TASK: return c.taskId();
            default: return c.jwtId();
        }
    }

    private static String key(Revocation.Granularity g, String target) {
        return g.wireName() + ':' + target;
    }

    /**
     * A distinct prefix, so no unscoped key ({@code task:ID}) equals a scoped one, and the agent id's length, so
     * no (agent, task) pair equals another however the ids are split ({@code :} is legal in a task id).
     */
    private static String taskKey(String agentId, String taskId) {
        return "task@" + agentId.length() + ':' + agentId + ':' + taskId;
    }
}

package dev.mayfly.server.revocation;

import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.server.store.RevocationRecord;
import dev.mayfly.verifier.Revocation;
import dev.mayfly.verifier.RevocationSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocations that still cover live tokens, in memory, answering the verifier on every request. An
 * entry is dropped once every token it covers has expired, so the set is bounded by the revocation rate
 * times the longest token lifetime, not by history. Thread-safe.
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

    public void add(RevocationRecord r) {
        entries.merge(key(r.kind(), r.target()), new Entry(new Revocation(r.kind(), r.reason()), r.coversUntil()),
                (old, neu) -> neu.coversUntil().isAfter(old.coversUntil()) ? neu : old);
    }

    public void addAll(Collection<RevocationRecord> records) {
        records.forEach(this::add);
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
}

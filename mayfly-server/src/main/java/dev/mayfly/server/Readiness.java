package dev.mayfly.server;

import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.store.DatabaseProbe;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What {@code /readyz} answers: can this node issue a token now? It can when it holds a signing key and the
 * database gives it, within the request path's own bounds, a connection, a writable primary, the audit
 * chain's lock and a schema no older than its code. The answer comes within {@link #DEADLINE} whatever the
 * database does: a probe still running then (a frozen server) counts as "database unreachable". Probes are
 * single-flight, so a health checker polling a hung database does not pile up threads.
 */
final class Readiness {
    /** Health checkers commonly give up after 1 s; answer before that. */
    static final Duration DEADLINE = Duration.ofMillis(900);

    private final DatabaseProbe probe;
    private final SigningKeyRing keys;
    private final Executor executor;
    private CompletableFuture<DatabaseProbe.Result> inFlight;

    Readiness(DatabaseProbe probe, SigningKeyRing keys, Executor executor) {
        this.probe = probe;
        this.keys = keys;
        this.executor = executor;
    }

    /** The checks, in the order shown; every value true means ready. {@code null} means "not checked". */
    Map<String, Object> checks() {
        DatabaseProbe.Result db = probeWithin(DEADLINE);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("database", db.reachable());
        checks.put("writable", db.writable());
        checks.put("audit_lock", db.auditLock());
        checks.put("signing_key", keys.activeKeyId() != null);
        checks.put("migrations", db.schemaCurrent());
        return checks;
    }

    static boolean ready(Map<String, Object> checks) {
        return checks.values().stream().allMatch(Boolean.TRUE::equals);
    }

    private DatabaseProbe.Result probeWithin(Duration deadline) {
        CompletableFuture<DatabaseProbe.Result> f;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(probe::probe, executor);
            }
            f = inFlight;
        }
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return new DatabaseProbe.Result(false, null, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DatabaseProbe.Result(false, null, null, null);
        }
    }
}

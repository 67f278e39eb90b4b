package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.HttpReply;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker answers ({@code /healthz}) and can issue a token now ({@code /readyz}: database, writable,
 * audit lock, signing key, migrations). Unreachable marks the deployment so the other broker checks are not attempted, and doctor
 * exits {@code UNAVAILABLE}.
 */
final class BrokerReachableCheck implements Check {
    static final String ID = "broker";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        Evidence e = Evidence.of().with("url", d.url());
        long start = System.nanoTime();
        HttpReply health;
        try {
            health = d.get("/healthz");
        } catch (MayflyException ex) {
            if (ex.code() == ErrorCode.UNAVAILABLE || ex.code() == ErrorCode.TIMEOUT) {
                d.unreachable();
                return CheckResult.fail(ID, ex.getMessage(), e.with("error", ex.code().name()));
            }
            throw ex;
        }
        e.with("healthz_ms", (System.nanoTime() - start) / 1_000_000).with("healthz_status", health.status());
        if (!health.successful()) {
            d.unreachable();
            return CheckResult.fail(ID, d.url() + "/healthz answered HTTP " + health.status() + ": not a Mayfly broker, or not up.", e);
        }
        start = System.nanoTime();
        HttpReply ready = d.get("/readyz");
        JsonNode checks = ready.json() == null ? null : ready.json().path("checks");
        // healthz_ms includes starting this process's HTTP client and connecting; readyz_ms is one round trip.
        e.with("readyz_ms", (System.nanoTime() - start) / 1_000_000).with("ready", ready.successful()).with("readyz", checks);
        if (!ready.successful()) {
            List<String> failing = new ArrayList<>();
            if (checks != null) {
                checks.fields().forEachRemaining(f -> {
                    // null is a check the broker could not run because an earlier one failed: not a cause
                    if (f.getValue().isBoolean() && !f.getValue().asBoolean()) {
                        failing.add(f.getKey());
                    }
                });
            }
            return CheckResult.fail(ID, "The broker answers but is not ready: " + String.join(", ", failing) + ".", e);
        }
        return CheckResult.pass(ID, "Reachable and ready (readyz answered in " + e.get("readyz_ms") + " ms).", e);
    }
}

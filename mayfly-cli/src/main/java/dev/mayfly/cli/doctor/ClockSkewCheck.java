package dev.mayfly.cli.doctor;

import dev.mayfly.core.policy.TtlPolicy;
import java.time.Duration;
import java.time.Instant;

/**
 * The broker's clock against this host's: the {@code iat} of a token issued for this run (the admin's
 * login, or a short task token exchanged from a cached session), against the midpoint of the local clock
 * around the request. {@code iat} has whole seconds, so up to a second of apparent skew is resolution, not
 * drift. Within {@link #PASS_WITHIN}: pass; within the clock leeway
 * verifiers allow: warn (tokens still verify, with less margin); beyond it: fail (fresh tokens may be
 * refused as not yet valid, expired ones accepted for longer).
 */
final class ClockSkewCheck implements Check {
    static final String ID = "clock";
    static final Duration PASS_WITHIN = Duration.ofSeconds(5);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        Deployment.Issuance issued = d.freshIssuance();
        Instant iat = issued.token().claims().map(c -> c.issuedAt()).orElse(null);
        if (iat == null) {
            return CheckResult.fail(ID, "The admin token has no readable iat claim; cannot compare clocks.", Evidence.of());
        }
        long localMid = (issued.localBefore().toEpochMilli() + issued.localAfter().toEpochMilli()) / 2;
        long skew = iat.toEpochMilli() - localMid;
        Duration leeway = leeway(d);
        Evidence e = Evidence.of().with("skew_ms", skew).with("resolution_ms", 1000)
                .with("broker_iat", iat.toString()).with("local_time", Instant.ofEpochMilli(localMid).toString())
                .with("leeway_ms", leeway.toMillis()).with("source", "iat of a token issued for this run");
        long abs = Math.abs(skew);
        if (abs <= PASS_WITHIN.toMillis()) {
            return CheckResult.pass(ID, "Clock skew " + skew + " ms (iat has 1 s resolution).", e);
        }
        if (abs <= leeway.toMillis()) {
            return CheckResult.warn(ID, "Clock skew " + skew + " ms: within the " + leeway.toSeconds()
                    + " s leeway, but eating into it; check NTP on both hosts.", e);
        }
        return CheckResult.fail(ID, "Clock skew " + skew + " ms exceeds the " + leeway.toSeconds()
                + " s leeway: verifiers will refuse fresh tokens or accept expired ones; fix NTP.", e);
    }

    private static Duration leeway(Deployment d) {
        try {
            return d.policy().leeway();
        } catch (RuntimeException e) {
            return TtlPolicy.defaults().leeway();
        }
    }
}

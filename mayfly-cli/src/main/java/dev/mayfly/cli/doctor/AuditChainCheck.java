package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;

/** The audit trail's hash chain verifies end to end ({@code GET /v1/audit/verify}). */
final class AuditChainCheck implements Check {
    static final String ID = "audit-chain";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public CheckResult run(Deployment d) {
        long start = System.nanoTime();
        JsonNode v = d.adminGet("/v1/audit/verify");
        Evidence e = Evidence.of().with("checked", v.path("checked").asLong()).with("head_hash", v.path("head_hash").asText(null))
                .with("verify_ms", (System.nanoTime() - start) / 1_000_000);
        if (!v.path("valid").asBoolean()) {
            e.with("first_bad_seq", v.path("first_bad_seq").asLong()).with("problem", v.path("problem").asText());
            return CheckResult.fail(ID, "The audit chain is broken at record " + v.path("first_bad_seq").asLong() + ": "
                    + v.path("problem").asText() + ".", e);
        }
        return CheckResult.pass(ID, "Audit chain verified: " + v.path("checked").asLong()
                + " records; keep head_hash somewhere the database's owner cannot write.", e);
    }
}

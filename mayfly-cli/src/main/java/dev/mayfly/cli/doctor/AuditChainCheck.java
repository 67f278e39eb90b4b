package dev.mayfly.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.audit.AuditVerdict;

/** Every node's audit chain verifies end to end and reaches every signed checkpoint ({@code GET /v1/audit/verify}). */
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
                .with("nodes", v.path("nodes").size())
                .with("checkpoints", v.at("/checkpoints/in_database").asLong() + v.at("/checkpoints/in_files").asLong())
                .with("verify_ms", (System.nanoTime() - start) / 1_000_000);
        if (!v.path("valid").asBoolean()) {
            if (v.hasNonNull("first_bad_seq")) {
                e.with("first_bad_seq", v.path("first_bad_seq").asLong());
            }
            AuditVerdict.badNode(v).ifPresent(n -> e.with("node", n.path("node").asText()));
            e.with("problem", v.path("problem").asText());
            return CheckResult.fail(ID, AuditVerdict.brokenMessage(v), e);
        }
        // Checkpoints in the database alone catch a truncated tail unless their rows were deleted too: a copy
        // outside the database (--audit-checkpoint-dir, or head_hash shipped elsewhere) closes that gap.
        String outside = v.at("/checkpoints/in_files").asLong() > 0 ? "up to the signed checkpoints, some kept outside the"
                + " database" : "up to the signed checkpoints; keep a copy outside the database (--audit-checkpoint-dir,"
                + " or ship head_hash) where the database's owner cannot write";
        return CheckResult.pass(ID, "Audit chains verified: " + v.path("checked").asLong() + " records in "
                + v.path("nodes").size() + " node chains, " + outside + ".", e);
    }
}

package dev.mayfly.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mayfly audit verify}: walks every node's hash chain and checks the signed checkpoints. A broken chain
 * (a modified, deleted or reordered record, a truncated tail, a forged checkpoint) exits 6 ({@code CONFLICT}:
 * the stored trail contradicts its own hashes) naming the node and the first bad record.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every node's audit chain and the signed checkpoints; exit 6 naming the node and the first "
                + "modified, deleted or reordered record, or the truncated tail.")
@Outcomes(data = "valid, checked, head_hash, nodes, checkpoints", authenticated = true,
        errors = {ErrorCode.CONFLICT, ErrorCode.PRECONDITION})
public final class AuditVerifyCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Override
    protected int execute(Output out) {
        JsonNode data = AdminGet.call(context(), broker.url, refresh.autoRefresh(), out,
                (v1, token) -> v1.get("/v1/audit/verify", token));
        if (!data.path("valid").asBoolean()) {
            MayflyError.Builder error = MayflyError.builder(ErrorCode.CONFLICT, AuditVerdict.brokenMessage(data))
                    .detail("checked", data.path("checked").asLong());
            if (data.hasNonNull("first_bad_seq")) {
                error.detail("first_bad_seq", data.path("first_bad_seq").asLong());
            }
            AuditVerdict.badNode(data).ifPresent(n -> error.detail("node", n.path("node").asText()));
            return out.fail(error.build());
        }
        return out.ok(data, p -> {
            p.printf("audit chains valid: %d records in %d node chains, head %s%n", data.path("checked").asLong(),
                    data.path("nodes").size(), data.path("head_hash").asText());
            for (JsonNode n : data.path("nodes")) {
                p.printf("  %-24s %8d records%s%n", n.path("node").asText(), n.path("records").asLong(),
                        n.hasNonNull("checkpoint_seq") ? ", checkpointed to " + n.path("checkpoint_seq").asLong() : "");
            }
            JsonNode cp = data.path("checkpoints");
            p.printf("  checkpoints: %d in the database, %d in files, newest %s%n", cp.path("in_database").asLong(),
                    cp.path("in_files").asLong(), cp.path("newest_at").asText("none"));
        });
    }
}

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
 * {@code mayfly audit verify}: walks the hash chain. A broken chain (a modified, deleted or reordered
 * record) exits 6 ({@code CONFLICT}: the stored trail contradicts its own hashes) naming the first bad record.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify the audit trail's hash chain; exit 6 naming the first modified, deleted or reordered record.")
@Outcomes(data = "valid, checked, head_hash", authenticated = true, errors = {ErrorCode.CONFLICT, ErrorCode.PRECONDITION})
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
            return out.fail(MayflyError.builder(ErrorCode.CONFLICT,
                            "The audit chain is broken at record " + data.path("first_bad_seq").asLong() + ": "
                                    + data.path("problem").asText() + ".")
                    .detail("first_bad_seq", data.path("first_bad_seq").asLong())
                    .detail("checked", data.path("checked").asLong())
                    .build());
        }
        return out.ok(data, p -> p.printf("audit chain valid: %d records, head %s%n", data.path("checked").asLong(),
                data.path("head_hash").asText()));
    }
}

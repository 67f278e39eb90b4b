package dev.mayfly.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mayfly audit export}: every matching record, oldest first, one JSON object per line on stdout. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export the audit trail (with the same filters) as JSON lines, following the cursor to the end.")
@Outcomes(data = "JSON lines: one audit record each", authenticated = true, errors = {ErrorCode.PRECONDITION},
        streams = true)
public final class AuditExportCommand extends CliCommand {
    private static final int PAGE = 1000;

    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Mixin
    AuditFilters filters;

    @Override
    protected int execute(Output out) {
        long after = 0;
        long exported = 0;
        while (true) {
            long cursor = after;
            JsonNode data = AdminGet.call(context(), broker.url, refresh.autoRefresh(), out,
                    (v1, token) -> v1.get("/v1/audit" + filters.query(cursor, PAGE), token));
            for (JsonNode r : data.path("records")) {
                out.out().println(Json.write(r));
                exported++;
            }
            out.out().flush();
            if (data.path("next_after").isNull() || data.path("next_after").isMissingNode()) {
                out.err().println("mayfly: exported " + exported + " audit records");
                return 0;
            }
            after = data.path("next_after").asLong();
        }
    }
}

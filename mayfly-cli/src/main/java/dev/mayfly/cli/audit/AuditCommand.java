package dev.mayfly.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly audit}: one page of the audit trail, filtered (needs mayfly:audit:read or mayfly:admin). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Show the audit trail: every issuance, refresh, exchange, revocation and denial, with agent, "
                + "session and task.", "Subcommands: verify (the hash chain), export (everything as JSON lines)."},
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class})
@Outcomes(data = "records[], next_after (pass to --after for the next page; null at the end)", authenticated = true,
        errors = {ErrorCode.PRECONDITION})
public final class AuditCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Mixin
    AuditFilters filters;

    @Option(names = "--after", paramLabel = "SEQ", defaultValue = "0", description = "Start after this sequence number.")
    long after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Page size (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected int execute(Output out) {
        JsonNode data = AdminGet.call(context(), broker.url, refresh.autoRefresh(), out,
                (v1, token) -> v1.get("/v1/audit" + filters.query(after, limit), token));
        return out.ok(data, p -> {
            for (JsonNode r : data.path("records")) {
                p.printf("%6d %s %-20s %-8s %-26s %-26s %s%n", r.path("seq").asLong(), r.path("at").asText(),
                        r.path("event").asText(), r.path("outcome").asText(), r.path("agent_id").asText("-"),
                        r.path("session_id").asText("-"), r.path("task_id").asText("-"));
            }
        });
    }
}

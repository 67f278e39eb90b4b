package dev.mayfly.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly agent list}: one page of agents (keyset pagination by agent id). */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List agents, a page at a time.")
@Outcomes(data = "agents[], next_after (pass to --after for the next page; null at the end)", authenticated = true,
        errors = {ErrorCode.PRECONDITION})
public final class ListAgentsCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--after", paramLabel = "AGENT_ID", description = "Start after this agent (from next_after).")
    String after;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "Page size (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    protected int execute(Output out) {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        String query = "/v1/agents?limit=" + limit + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        V1Api v1 = context().v1(admin.url());
        try (var source = admin.source()) {
            JsonNode data = AuthenticatedCall.run(source, out, t -> v1.get(query, t.value()));
            return out.ok(data, p -> {
                for (JsonNode a : data.path("agents")) {
                    p.printf("%-28s %-24s %-12s %s%n", a.path("agent_id").asText(), a.path("name").asText(),
                            a.path("kind").asText(), a.path("disabled").asBoolean() ? "disabled" : "active");
                }
            });
        }
    }
}

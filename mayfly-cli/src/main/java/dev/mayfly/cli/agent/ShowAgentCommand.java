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
import picocli.CommandLine.Parameters;

/** {@code mayfly agent show ID}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Show one agent (never its secret).")
@Outcomes(data = "the agent", authenticated = true, errors = {ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION})
public final class ShowAgentCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Parameters(index = "0", paramLabel = "AGENT_ID")
    String agentId;

    @Override
    protected int execute(Output out) {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        V1Api v1 = context().v1(admin.url());
        String path = "/v1/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8);
        try (var source = admin.source()) {
            JsonNode data = AuthenticatedCall.run(source, out, t -> v1.get(path, t.value()));
            return out.ok(data, p -> data.properties().forEach(f -> p.printf("%-14s %s%n", f.getKey(), f.getValue())));
        }
    }
}

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
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly agent disable ID}: ends all its sessions and revokes every token it holds. */
@Command(name = "disable", mixinStandardHelpOptions = true,
        description = "Disable an agent: its sessions end, every token it holds is revoked, it cannot log in again.")
@Outcomes(data = "the agent and data.revocation", authenticated = true, errors = {ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION})
public final class DisableAgentCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Parameters(index = "0", paramLabel = "AGENT_ID")
    String agentId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the revocation).")
    String reason;

    @Override
    protected int execute(Output out) {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        V1Api v1 = context().v1(admin.url());
        String path = "/v1/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8) + "/disable";
        Map<String, Object> body = new LinkedHashMap<>();
        if (reason != null) {
            body.put("reason", reason);
        }
        try (var source = admin.source()) {
            JsonNode data = AuthenticatedCall.run(source, out, t -> v1.post(path, t.value(), body));
            return out.ok(data, p -> p.printf("Disabled %s%n", agentId));
        }
    }
}

package dev.mayfly.cli.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.client.V1Api;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly agent update ID}: change how an agent logs in without a secret (PATCH /v1/agents/{id}). */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = {"Change an agent's assertion login: its federated issuer and claim rules, its public key.",
                "Options left out keep what the agent has; --no-federation and --no-public-key remove one."})
@Outcomes(data = "the agent", authenticated = true, errors = {ErrorCode.NOT_FOUND, ErrorCode.PRECONDITION})
public final class UpdateAgentCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Parameters(index = "0", paramLabel = "AGENT_ID")
    String agentId;

    @Mixin
    TrustOptions trust;

    @Option(names = "--no-federation", description = "Remove the federated issuer and its claim rules.")
    boolean noFederation;

    @Option(names = "--no-public-key", description = "Remove the registered public key.")
    boolean noPublicKey;

    @Override
    protected int execute(Output out) {
        Map<String, Object> body = new LinkedHashMap<>();
        trust.addTo(body);
        if (noFederation) {
            if (body.containsKey("federated")) {
                throw new MayflyException(ErrorCode.USAGE, "--no-federation and --federated-issuer contradict each other.");
            }
            body.put("federated", null);
        }
        if (noPublicKey) {
            if (body.containsKey("public_key")) {
                throw new MayflyException(ErrorCode.USAGE, "--no-public-key and --public-key contradict each other.");
            }
            body.put("public_key", null);
        }
        if (body.isEmpty()) {
            throw new MayflyException(ErrorCode.USAGE, "Nothing to change: give --federated-issuer, --public-key, "
                    + "--no-federation or --no-public-key.");
        }
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        V1Api v1 = context().http().v1(admin.url());
        String path = "/v1/agents/" + URLEncoder.encode(agentId, StandardCharsets.UTF_8);
        try (var source = admin.source()) {
            JsonNode data = AuthenticatedCall.run(source, out, t -> v1.patch(path, t.value(), body));
            return out.ok(data, p -> data.properties().forEach(f -> p.printf("%-17s %s%n", f.getKey(), f.getValue())));
        }
    }
}

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mayfly agent create NAME}: the new agent's client id and secret, shown this one time. */
@Command(name = "create", mixinStandardHelpOptions = true,
        description = {"Register an agent. data holds its client_id and client_secret: the only time the secret is shown.",
                "With --federated-issuer or --public-key the agent logs in by JWT assertion and gets no secret "
                        + "(unless --with-secret)."})
@Outcomes(data = "agent_id, client_id, client_secret (shown once), agent", authenticated = true,
        errors = {ErrorCode.CONFLICT, ErrorCode.PRECONDITION})
public final class CreateAgentCommand extends CliCommand {
    enum Kind { interactive, batch, llm }

    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Parameters(index = "0", paramLabel = "NAME", description = "Unique agent name.")
    String name;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",", required = true,
            description = "Scopes the agent may hold (repeatable).")
    List<String> scopes;

    @Option(names = "--audience", paramLabel = "AUDIENCE", split = ",",
            description = "Audiences (resource servers) it may get task tokens for (repeatable).")
    List<String> audiences = List.of();

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "interactive",
            description = "interactive, batch or llm (default: ${DEFAULT-VALUE}).")
    Kind kind;

    @Mixin
    TrustOptions trust;

    @Option(names = "--with-secret", description = "Also mint a client secret for an agent that logs in by assertion.")
    boolean withSecret;

    @Override
    protected int execute(Output out) {
        AdminAccess.Resolved admin = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", kind.name());
        body.put("scopes", scopes);
        body.put("audiences", audiences);
        trust.addTo(body);
        if (trust.any()) {
            body.put("client_secret", withSecret);
        }
        V1Api v1 = context().v1(admin.url());
        try (var source = admin.source()) {
            JsonNode data = AuthenticatedCall.run(source, out, t -> v1.post("/v1/agents", t.value(), body));
            return out.ok(data, p -> {
                p.printf("Created agent %s (%s)%n", data.path("agent_id").asText(), name);
                p.printf("  client id      %s%n", data.path("client_id").asText());
                if (data.path("client_secret").isTextual()) {
                    p.printf("  client secret  %s   (shown once: store it now)%n", data.path("client_secret").asText());
                } else {
                    p.printf("  client secret  none: logs in by JWT assertion%n");
                }
            });
        }
    }
}

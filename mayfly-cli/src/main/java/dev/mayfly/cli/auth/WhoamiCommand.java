package dev.mayfly.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mayfly whoami}: the authenticated check. Asks the broker who the current credential belongs to. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = {"Ask the broker (GET /v1/whoami) who the current credential is: the authenticated check.",
                "Refreshes an expired cached token first (with a warning) unless --no-auto-refresh."})
@Outcomes(data = "agent_id, client_id, session_id, task_id, token_kind, scopes, audience, tier, jti, issued_at, "
        + "expires_at, expires_in_s, claims, credential_source", authenticated = true)
public final class WhoamiCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        CredentialSource source = Credentials.resolve(ctx, url, refresh.autoRefresh());
        V1Api v1 = ctx.v1(url);
        JsonNode data = AuthenticatedCall.run(source, out, t -> v1.get("/v1/whoami", t.value()));
        ObjectNode result = data.deepCopy();
        result.put("credential_source", source.kind());
        return out.ok(result, p -> {
            p.printf("%s (client %s)%n", result.path("agent_id").asText(), result.path("client_id").asText());
            p.printf("  %s token, session %s%s%n", result.path("token_kind").asText(), result.path("session_id").asText(),
                    result.path("task_id").isNull() ? "" : ", task " + result.path("task_id").asText());
            p.printf("  expires %s (in %ss), tier %s%n", result.path("expires_at").asText(),
                    result.path("expires_in_s").asText(), result.path("tier").asText());
            p.printf("  scopes  %s%n", result.path("scopes"));
        });
    }
}

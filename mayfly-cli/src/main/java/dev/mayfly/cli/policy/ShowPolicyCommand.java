package dev.mayfly.cli.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminAccess;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.policy.PolicyDocument;
import dev.mayfly.policy.PolicyFile;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly policy show}: the effective policy with every default filled in, from a file
 * ({@code --file}) or from the broker ({@code GET /v1/policy}, with admin.json or the current credential).
 * A terminal gets it as the TOML a policy file would hold.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the effective lifetime policy: the broker's (GET /v1/policy), or a file's with --file.")
@Outcomes(data = "source (broker URL or file), policy (session_max, clock_leeway, refresh_reuse_grace, default_tier, cross_trust_audiences, "
        + "tiers, kinds, scope[])", authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class ShowPolicyCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--file", paramLabel = "FILE", description = "Show this policy file's effective policy instead of the broker's.")
    Path file;

    @Override
    protected int execute(Output out) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (file != null) {
            data.put("source", file.toString());
            data.put("policy", PolicyDocument.toMap(PolicyFile.parse(PolicyText.read(file), file.toString())));
        } else {
            AdminAccess.Resolved access = AdminAccess.resolve(context(), broker.url, refresh.autoRefresh());
            V1Api v1 = context().v1(access.url());
            try (var source = access.source()) {
                JsonNode policy = AuthenticatedCall.run(source, out, t -> v1.get("/v1/policy", t.value()));
                data.put("source", access.url());
                data.put("policy", policy);
            }
        }
        return out.ok(data, p -> {
            p.printf("# effective policy of %s%n", data.get("source"));
            p.print(PolicyText.toml(data.get("policy")));
        });
    }
}

package dev.mayfly.cli.keys;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.audit.AdminGet;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mayfly keys list}: the published keys, which one signs, which is next, which is retiring. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the published signing keys and their schedule.")
@Outcomes(data = "keys[]: kid, alg, state (next|active|retiring), created_at, activate_at, retired_at",
        authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class ListKeysCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Override
    protected int execute(Output out) {
        JsonNode data = AdminGet.call(context(), broker.url, refresh.autoRefresh(), out,
                (v1, token) -> v1.get("/v1/keys", token));
        return out.ok(data, p -> {
            for (JsonNode k : data.path("keys")) {
                p.printf("%-45s %-6s %-9s activates %s%s%n", k.path("kid").asText(), k.path("alg").asText(),
                        k.path("state").asText(), k.path("activate_at").asText(),
                        k.path("retired_at").isNull() ? "" : ", withdrawn " + k.path("retired_at").asText());
            }
        });
    }
}

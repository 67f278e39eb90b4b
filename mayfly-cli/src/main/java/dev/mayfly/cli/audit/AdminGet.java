package dev.mayfly.cli.audit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminAccess;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.core.secret.Secret;
import java.util.function.BiFunction;

/**
 * Calls the broker's admin API as the bootstrap admin (admin.json) or the current credential, refreshing
 * once on expiry like every authenticated command, and returns the envelope's {@code data}.
 */
public final class AdminGet {
    private AdminGet() {
    }

    public static JsonNode call(CliContext ctx, String brokerUrl, boolean autoRefresh, Output out,
                                BiFunction<V1Api, Secret, JsonNode> call) {
        AdminAccess.Resolved admin = AdminAccess.resolve(ctx, brokerUrl, autoRefresh);
        V1Api v1 = ctx.v1(admin.url());
        try (var source = admin.source()) {
            return AuthenticatedCall.run(source, out, t -> call.apply(v1, t.value()));
        }
    }
}

package dev.mayfly.server.api;

import dev.mayfly.server.BrokerContext;
import dev.mayfly.server.agent.AgentRegistry;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.leak.LeakReporterKeys;

/** Mounts Mayfly's own API under {@code /v1}; every response is an envelope. */
public final class V1Routes {
    private V1Routes() {
    }

    public static void install(Router router, BrokerContext ctx, AgentRegistry registry) {
        install(router, ctx, registry, null);
    }

    /** {@code leakReporters}: when not null, GitHub-form leak reports must be signed by one of these keys. */
    public static void install(Router router, BrokerContext ctx, AgentRegistry registry, LeakReporterKeys leakReporters) {
        router.renderErrorsUnder("/v1/", Envelopes.ERRORS);
        router.add("GET", "/v1/whoami", new WhoamiApi(ctx));
        new AgentsApi(ctx, registry).install(router);
        new RevocationsApi(ctx).install(router);
        new WebhooksApi(ctx).install(router);
        new AuditApi(ctx).install(router);
        new KeysApi(ctx).install(router);
        router.add("POST", "/v1/leaks", new LeaksApi(ctx, leakReporters));
        router.add("GET", "/v1/policy", new PolicyApi(ctx));
    }
}

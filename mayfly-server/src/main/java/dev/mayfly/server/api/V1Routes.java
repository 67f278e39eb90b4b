package dev.mayfly.server.api;

import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.agent.AgentRegistry;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.leak.LeakReporterKeys;
import dev.mayfly.server.leak.LeakReports;
import dev.mayfly.server.metrics.BrokerMetrics;
import dev.mayfly.server.oauth.Verifiers;
import dev.mayfly.server.revocation.RevocationFeed;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.Stores;
import dev.mayfly.server.webhook.Webhooks;
import java.time.Clock;
import java.time.Duration;

/**
 * Mounts Mayfly's own API under {@code /v1}; every response is an envelope. One method per API, each taking
 * what that API uses besides the verifiers and stores most of them share, so the caller's wiring says what
 * each part depends on.
 */
public final class V1Routes {
    private final Router router;
    private final Verifiers verifiers;
    private final Stores stores;

    private V1Routes(Router router, Verifiers verifiers, Stores stores) {
        this.router = router;
        this.verifiers = verifiers;
        this.stores = stores;
    }

    /** Starts mounting on {@code router}: errors under {@code /v1/} render as envelopes, and {@code /v1/whoami}. */
    public static V1Routes on(Router router, Verifiers verifiers, Stores stores, Clock clock) {
        router.renderErrorsUnder("/v1/", Envelopes.ERRORS);
        router.add("GET", "/v1/whoami", new WhoamiApi(verifiers.anyAudience(), clock));
        return new V1Routes(router, verifiers, stores);
    }

    public V1Routes agents(AgentRegistry registry, Revoker revoker) {
        new AgentsApi(verifiers.brokerAudience(), registry, stores, revoker).install(router);
        return this;
    }

    public V1Routes revocations(Revoker revoker, RevocationFeed feed, Duration heartbeat, BrokerMetrics metrics, Clock clock) {
        RevocationStreamApi stream = new RevocationStreamApi(verifiers.anyAudience(), stores, feed, metrics, clock, heartbeat);
        new RevocationsApi(verifiers.anyAudience(), stores, revoker, stream).install(router);
        return this;
    }

    public V1Routes webhooks(Webhooks webhooks) {
        new WebhooksApi(verifiers.brokerAudience(), webhooks).install(router);
        return this;
    }

    public V1Routes audit(AuditLog audit) {
        new AuditApi(verifiers.brokerAudience(), audit).install(router);
        return this;
    }

    public V1Routes keys(SigningKeyRing keys, TtlPolicy policy, AuditLog audit) {
        new KeysApi(verifiers.brokerAudience(), keys, policy, audit).install(router);
        return this;
    }

    /** {@code reporterKeys}: when not null, GitHub-form leak reports must be signed by one of these keys. */
    public V1Routes leaks(LeakReports reports, LeakReporterKeys reporterKeys, Clock clock) {
        router.add("POST", "/v1/leaks", new LeaksApi(reports, reporterKeys, clock));
        return this;
    }

    public V1Routes policy(TtlPolicy policy) {
        router.add("GET", "/v1/policy", new PolicyApi(verifiers.brokerAudience(), policy));
        return this;
    }
}

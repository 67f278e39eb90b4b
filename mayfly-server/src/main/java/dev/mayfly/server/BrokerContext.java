package dev.mayfly.server;

import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.metrics.BrokerMetrics;
import dev.mayfly.server.oauth.AccessTokenMinter;
import dev.mayfly.server.oauth.ClientAuthenticator;
import dev.mayfly.core.revocation.RevocationSet;
import dev.mayfly.server.revocation.RevocationFeed;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.GroupCommit;
import dev.mayfly.server.store.RevocationStore;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.webhook.WebhookDispatcher;
import dev.mayfly.server.webhook.Webhooks;
import dev.mayfly.verifier.TokenVerifier;
import java.time.Clock;

/**
 * The broker's shared parts, built once at start and handed to the endpoints.
 *
 * @param brokerTokens verifies tokens audienced to the broker itself (the {@code /v1} API, subject tokens)
 * @param anyAudience  verifies any authentic Mayfly token ({@code /v1/whoami}, introspection, revocation)
 */
public record BrokerContext(
        String issuer,
        Clock clock,
        TtlPolicy policy,
        Database db,
        AgentStore agents,
        SessionStore sessions,
        RevocationStore revocations,
        SigningKeyRing keys,
        RevocationSet revocationSet,
        Revoker revoker,
        RevocationFeed feed,
        java.time.Duration feedHeartbeat,
        Webhooks webhooks,
        AuditLog audit,
        BrokerMetrics metrics,
        GroupCommit commits,
        WebhookDispatcher webhookDispatcher,
        AccessTokenMinter minter,
        ClientAuthenticator clients,
        TokenVerifier brokerTokens,
        TokenVerifier anyAudience) {
}

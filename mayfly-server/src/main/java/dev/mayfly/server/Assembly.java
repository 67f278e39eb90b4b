package dev.mayfly.server;

import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.revocation.RevocationSet;
import dev.mayfly.server.agent.AgentRegistry;
import dev.mayfly.server.api.ConsoleApi;
import dev.mayfly.server.api.V1Routes;
import dev.mayfly.server.audit.AuditChainKey;
import dev.mayfly.server.audit.AuditCheckpointer;
import dev.mayfly.server.audit.AuditLog;
import dev.mayfly.server.audit.AuditNodeId;
import dev.mayfly.server.audit.DenialAudit;
import dev.mayfly.server.audit.RevocationAudit;
import dev.mayfly.server.console.ConsoleLogins;
import dev.mayfly.server.console.LiveSessions;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.http.Envelopes;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.leak.LeakReporterKeys;
import dev.mayfly.server.leak.LeakReports;
import dev.mayfly.server.metrics.BrokerMetrics;
import dev.mayfly.server.oauth.AccessTokenMinter;
import dev.mayfly.server.oauth.Issuance;
import dev.mayfly.server.oauth.OAuthErrors;
import dev.mayfly.server.oauth.OAuthRoutes;
import dev.mayfly.server.oauth.Verifiers;
import dev.mayfly.core.revocation.RevocationSource;
import dev.mayfly.server.revocation.ConsistentRevocations;
import dev.mayfly.server.revocation.RevocationFeed;
import dev.mayfly.server.revocation.RevocationOutbox;
import dev.mayfly.server.revocation.RevocationSync;
import dev.mayfly.server.revocation.Revoker;
import dev.mayfly.server.store.AgentStore;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.DatabaseProbe;
import dev.mayfly.server.store.GroupCommit;
import dev.mayfly.server.store.RevocationStore;
import dev.mayfly.server.store.SessionStore;
import dev.mayfly.server.store.Stores;
import dev.mayfly.server.webhook.WebhookDispatcher;
import dev.mayfly.server.webhook.Webhooks;
import dev.mayfly.verifier.JwksSource;
import java.time.Clock;

/**
 * The broker's parts, built once at start, and the routes wired from them: the one place that knows which
 * endpoint uses what. Held by {@link Broker} for its background jobs and shutdown; never handed to an
 * endpoint, each of which gets only its own collaborators.
 */
final class Assembly {
    /** Runs readiness probes, so /readyz answers on time even while a probe waits on a hung database. */
    private static final java.util.concurrent.Executor PROBES = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mayfly-readiness-probe");
        t.setDaemon(true);
        return t;
    });

    final BrokerConfig config;
    final String issuer;
    final Stores stores;
    final SigningKeyRing keys;
    final RevocationSet revocationSet;
    /** Catches this node's set up with revocations other nodes committed (the listener's and the checks'). */
    final RevocationSync revocationSync;
    final RevocationFeed feed = new RevocationFeed();
    final AuditLog audit;
    /** Null when the audit trail is off (benchmarks). */
    final AuditCheckpointer auditCheckpointer;
    final BrokerMetrics metrics;
    final Webhooks webhooks;
    final WebhookDispatcher webhookDispatcher;
    final Revoker revoker;
    final Verifiers verifiers;
    final AgentRegistry registry;
    private final MasterKey masterKey;

    Assembly(BrokerConfig config, Database db, SigningKeyRing keys, MasterKey masterKey, String issuer) {
        Clock clock = config.clock();
        TtlPolicy policy = config.policy();
        this.config = config;
        this.masterKey = masterKey;
        this.issuer = issuer;
        this.keys = keys;
        this.stores = new Stores(db, new GroupCommit(db), new AgentStore(), new SessionStore(), new RevocationStore());
        this.revocationSet = new RevocationSet(clock);
        // The position first, then the set: a revocation committed between the two reads is applied twice
        // (harmless), never skipped.
        long position = db.read(stores.revocations()::latestSeq);
        db.read(c -> stores.revocations().active(c, clock.instant())).forEach(revocationSet::add);
        this.audit = new AuditLog(db, clock, new AuditChainKey(masterKey),
                AuditNodeId.resolve(config.auditChain().nodeId(), config.home()), config.auditChain().checkpointDir(),
                config.auditEnabled());
        this.auditCheckpointer = config.auditEnabled() ? AuditCheckpointer.start(audit, config.auditChain()) : null;
        this.webhooks = new Webhooks(db, audit, masterKey, clock, config.insecure());
        this.metrics = new BrokerMetrics(() -> db.read(stores.revocations()::latestSeq));
        audit.onAppend(metrics::recorded);
        // What commits with every revocation: its webhook deliveries and its audit record.
        RevocationOutbox outbox = (c, r, origin) -> {
            webhooks.revoked(c, r);
            RevocationAudit.record(audit, c, r, origin);
        };
        this.revoker = new Revoker(db, stores.revocations(), stores.sessions(), stores.agents(), revocationSet, feed,
                outbox, policy, clock);
        this.webhookDispatcher = new WebhookDispatcher(db, webhooks, audit, clock, Jitter.RANDOM);
        this.revocationSync = new RevocationSync(db, stores.revocations(), revocationSet, feed, position);
        // With PostgreSQL other nodes may have revoked what this one has not applied yet: the broker's own
        // checks ask the database first (ConsistentRevocations), so an acknowledged revocation is refused by
        // every node at once. SQLite has one node, whose set every revocation reaches before it is acknowledged.
        RevocationSource checked = config.databaseUrl() == null ? revocationSet
                : new ConsistentRevocations(revocationSet, revocationSync);
        this.verifiers = Verifiers.of(issuer, JwksSource.ofJson(keys::publicKeysJson), checked, clock, policy.leeway());
        this.registry = new AgentRegistry(db, stores.agents(), audit, clock);
    }

    /** Every endpoint, mounted with what it uses. */
    Router routes(LeakReporterKeys leakReporters) {
        Clock clock = config.clock();
        TtlPolicy policy = config.policy();
        Router router = new Router(Envelopes.ERRORS).publicUrl(issuer).renderErrorsUnder("/oauth/", OAuthErrors.RENDERER)
                .onRequest(new DenialAudit(audit))
                .onRequest(metrics);
        Issuance issuance = new Issuance(new AccessTokenMinter(keys, issuer, clock, Jitter.RANDOM), policy, clock);
        OAuthRoutes.install(router, stores, verifiers, issuance, revoker, audit, masterKey);
        V1Routes.on(router, verifiers, stores, clock)
                .agents(registry, revoker)
                .revocations(revoker, feed, config.feedHeartbeat(), metrics, clock)
                .webhooks(webhooks)
                .audit(audit)
                .keys(keys, policy, audit)
                .leaks(new LeakReports(verifiers.anyAudience(), stores, revoker, audit, clock), leakReporters, clock)
                .policy(policy);
        ConsoleApi.install(router, verifiers, stores, new ConsoleLogins(stores, issuance.minter(), policy, audit, clock),
                new LiveSessions(stores, audit, clock), revoker, policy, clock);
        HealthRoutes.install(router, new Readiness(new DatabaseProbe(stores.db(), audit.nodeId()), keys, PROBES), metrics);
        return router;
    }
}

package dev.mayfly.server;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.agent.AdminBootstrap;
import dev.mayfly.server.agent.RefusedAudiences;
import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.crypto.SigningKeyRing;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.http.BrokerConnector;
import dev.mayfly.server.http.PemKeyPair;
import dev.mayfly.server.leak.LeakReporterKeys;
import dev.mayfly.server.http.Router;
import dev.mayfly.server.revocation.PgRevocationListener;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.webhook.WebhookDispatcher;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running broker: the database, the signing keys, the revocation set and a Jetty server with the OAuth
 * and {@code /v1} endpoints. {@link #start} returns once it is listening; {@link #close} stops it.
 */
public final class Broker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final Server server;
    private final Assembly parts;
    private final ScheduledExecutorService housekeeping;
    private final PgRevocationListener listener;
    private final int port;

    private Broker(Server server, Assembly parts, ScheduledExecutorService housekeeping, PgRevocationListener listener,
                   int port) {
        this.server = server;
        this.parts = parts;
        this.housekeeping = housekeeping;
        this.listener = listener;
        this.port = port;
    }

    public static Broker start(BrokerConfig config) {
        if (!config.loopbackOnly() && !config.insecure() && !config.tls()) {
            throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                    "Listening on " + config.host() + " exposes credentials to the network without TLS; "
                            + "serve TLS with --tls-cert and --tls-key, or terminate TLS in front of the broker and "
                            + "pass --insecure to confirm, or listen on 127.0.0.1."));
        }
        // Files named on the command line are checked before any state is touched.
        PemKeyPair tls = config.tls() ? PemKeyPair.load(config.tlsCertificate(), config.tlsKey()) : null;
        LeakReporterKeys leakReporters = config.leakReporterKeys() == null ? null
                : LeakReporterKeys.load(config.leakReporterKeys());
        MayflyHome home = MayflyHome.open(config.home());
        MasterKey masterKey = MasterKey.load(config.env().get(MasterKey.ENV), home.masterKeyFile());
        Database db = config.databaseUrl() == null
                ? Database.openSqlite(home.database())
                : Database.openPostgres(config.databaseUrl(), config.databaseUser(), config.databasePassword(), 16,
                        config.databaseTimeouts());
        Server server = null;
        try {
            SigningKeyRing keys = SigningKeyRing.load(db, masterKey, config.signingAlgorithm(), config.clock());
            server = new Server(threadPool());
            ServerConnector connector = BrokerConnector.add(server, config.host(), config.port(), config.limits(), tls);
            connector.open();
            int port = connector.getLocalPort();
            String scheme = config.tls() ? "https" : "http";
            String issuer = config.issuer() != null ? config.issuer() : scheme + "://" + urlHost(config.host()) + ":" + port;

            Assembly parts = new Assembly(config, db, keys, masterKey, issuer);
            if (config.newAdmin()) {
                AdminBootstrap.replaceAdmin(parts.registry, home.adminCredentials(), issuer, config.clock());
            } else {
                AdminBootstrap.ensureAdmin(parts.registry, home.adminCredentials(), issuer);
            }
            RefusedAudiences.warn(db, parts.stores.agents());
            Router router = parts.routes(leakReporters);
            server.setHandler(BrokerConnector.guard(connector, config.limits(), router));
            server.start();

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mayfly-housekeeping");
                t.setDaemon(true);
                return t;
            });
            housekeeping.scheduleWithFixedDelay(() -> runQuietly(parts.revocationSet::prune), 30, 30, TimeUnit.SECONDS);
            long reload = SigningKeyRing.RELOAD_INTERVAL.toMillis();
            housekeeping.scheduleWithFixedDelay(() -> runQuietly(keys::reload), reload, reload, TimeUnit.MILLISECONDS);
            long poll = config.webhookPoll().toMillis();
            housekeeping.scheduleWithFixedDelay(() -> runQuietly(parts.webhookDispatcher::dispatchDue), poll, poll,
                    TimeUnit.MILLISECONDS);
            PgRevocationListener listener = config.databaseUrl() == null ? null
                    : new PgRevocationListener(config.databaseUrl(), config.databaseUser(), config.databasePassword(),
                            config.databaseTimeouts(),
                            parts.revocationSync).start();
            LOG.info("Mayfly broker listening on {} (issuer {}, home {}, master key from {}, signing {} key_id={})",
                    connector.getHost() + ":" + port, issuer, home.dir(), masterKey.origin(), keys.algorithm(),
                    keys.activeKeyId());
            return new Broker(server, parts, housekeeping, listener, port);
        } catch (Exception e) {
            stopQuietly(server);
            db.close();
            if (e instanceof MayflyException) {
                throw (MayflyException) e;
            }
            if (e instanceof java.io.IOException) {
                throw new MayflyException(MayflyError.of(ErrorCode.PRECONDITION,
                        "Cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage() + ")."), e);
            }
            throw new IllegalStateException("broker failed to start", e);
        }
    }

    /** A failing periodic job must not cancel its schedule (a scheduled executor drops a task that throws). */
    private static void runQuietly(Runnable job) {
        try {
            job.run();
        } catch (RuntimeException e) {
            LOG.warn("background job failed: {}", e.toString());
        }
    }

    private static QueuedThreadPool threadPool() {
        QueuedThreadPool pool = new QueuedThreadPool(200, 8);
        pool.setName("mayfly-http");
        if (VirtualThreads.areSupported()) {
            // On JDK 21+ each request runs on its own virtual thread; on 17 the pool's platform threads do.
            pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("mayfly-vt"));
        }
        return pool;
    }

    private static String urlHost(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    public int port() {
        return port;
    }

    public String issuer() {
        return parts.issuer;
    }

    /** The database; for tests and tools that inspect what the broker stored. */
    public Database db() {
        return parts.stores.db();
    }

    /** The signing keys; for tests that rotate and reload them. */
    public SigningKeyRing keys() {
        return parts.keys;
    }

    /** Sends due webhook deliveries; tests call it directly instead of waiting for the housekeeping poll. */
    public WebhookDispatcher webhookDispatcher() {
        return parts.webhookDispatcher;
    }

    /** This node's audit checkpoints; tests write one directly instead of waiting for the schedule. */
    public dev.mayfly.server.audit.AuditCheckpoints auditCheckpoints() {
        return parts.audit.checkpoints();
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        parts.feed.close();
        housekeeping.shutdownNow();
        parts.webhookDispatcher.close();
        if (listener != null) {
            listener.close();
        }
        stopQuietly(server);
        parts.stores.commits().close(); // after the server: in-flight requests still get their commits
        if (parts.auditCheckpointer != null) {
            parts.auditCheckpointer.close(); // after the last commit: the shutdown checkpoint names the final heads
        }
        parts.stores.db().close();
        LOG.info("Mayfly broker stopped");
    }

    private static void stopQuietly(Server server) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("error while stopping the HTTP server: {}", e.toString());
        }
    }
}

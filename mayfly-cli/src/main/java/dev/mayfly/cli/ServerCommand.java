package dev.mayfly.cli;

import dev.mayfly.cli.context.DatabaseOptions;
import dev.mayfly.cli.audit.AuditChainOptions;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.policy.PolicyFile;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.server.Broker;
import dev.mayfly.server.BrokerConfig;
import dev.mayfly.server.http.HttpLimits;
import dev.mayfly.server.crypto.SigningAlgorithm;
import dev.mayfly.server.home.MayflyHome;
import dev.mayfly.server.store.DatabaseTimeouts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly server}: runs the broker in the foreground until interrupted. */
@Outcomes(data = "nothing: runs until interrupted (start-up failures print an envelope)",
        errors = {dev.mayfly.core.error.ErrorCode.PRECONDITION, dev.mayfly.core.error.ErrorCode.USAGE,
                dev.mayfly.core.error.ErrorCode.NOT_FOUND})
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Mayfly broker (OAuth token, introspection and revocation endpoints; the /v1 API).",
                "State lives in the home directory: a SQLite database, the master key file (unless "
                        + "MAYFLY_MASTER_KEY is set) and, after the first start, admin.json with the bootstrap "
                        + "admin's credentials (mode 0600)."})
final class ServerCommand implements Callable<Integer> {
    /** Returned when the broker is running: main must not exit, the server's threads keep the JVM alive. */
    static final int KEEP_RUNNING = Integer.MIN_VALUE;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8470",
            description = "Address to listen on (default: ${DEFAULT-VALUE}). Non-loopback needs --tls-cert/--tls-key, "
                    + "or --insecure with TLS terminated in front.")
    String listen;

    @Option(names = "--home", paramLabel = "DIR",
            description = "State directory (default: $MAYFLY_HOME, else ~/.mayfly).")
    Path home;

    @Option(names = "--policy", paramLabel = "FILE", description = "TTL policy in TOML (default: built-in defaults).")
    Path policy;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "Issuer URL as clients reach the broker (default: http://HOST:PORT as listened on, https:// with TLS).")
    String issuer;

    @Option(names = "--signing-alg", paramLabel = "ALG", defaultValue = "EdDSA",
            description = "Access-token signature algorithm: EdDSA (default, fastest to sign) or RS256.")
    String signingAlg;

    @Option(names = "--insecure",
            description = "Allow listening on a non-loopback address without TLS (put a TLS proxy in front).")
    boolean insecure;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve HTTPS with this PEM certificate (the server's first, then any intermediates). Needs --tls-key.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The certificate's unencrypted PEM private key (PKCS#8, or RSA/EC as openssl and certbot write them).")
    Path tlsKey;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "Close a connection idle this long (default: ${DEFAULT-VALUE}).")
    String idleTimeout;

    @Option(names = "--request-timeout", paramLabel = "DURATION", defaultValue = "20s",
            description = "A request's headers, and then its body, must arrive within this (default: ${DEFAULT-VALUE}); "
                    + "slower clients are cut off.")
    String requestTimeout;

    @Option(names = "--max-header-size", paramLabel = "BYTES", defaultValue = "8192",
            description = "Largest accepted request headers, in bytes (default: ${DEFAULT-VALUE}).")
    int maxHeaderSize;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "4096",
            description = "Open connections at most; beyond it new ones wait to be accepted (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--leak-reporter-keys", paramLabel = "FILE",
            description = {"GitHub's secret-scanning public keys (the JSON of "
                    + "https://api.github.com/meta/public_keys/secret_scanning): GitHub-form reports to /v1/leaks "
                    + "must then be signed by one of them. Re-read when the file changes."})
    Path leakReporterKeys;

    @Option(names = "--new-admin",
            description = {"Break-glass: register a fresh admin agent at start and replace admin.json with its "
                    + "credentials, for when the admin's secret was reported leaked (which disables it) or admin.json "
                    + "was lost. Earlier admin agents are left as they are."})
    boolean newAdmin;

    @Option(names = "--db-lock-timeout", paramLabel = "DURATION", defaultValue = "500ms",
            description = "PostgreSQL: wait at most this for a lock another node holds, then answer 503 "
                    + "(lock_timeout; default: ${DEFAULT-VALUE}).")
    String dbLockTimeout;

    @Option(names = "--db-statement-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "PostgreSQL: cancel a request's statement after this (statement_timeout, longer than "
                    + "--db-lock-timeout; default: ${DEFAULT-VALUE}).")
    String dbStatementTimeout;

    @Option(names = "--db-idle-in-transaction-timeout", paramLabel = "DURATION", defaultValue = "2s",
            description = "PostgreSQL: end the session of a node that stalls inside a transaction after this, freeing "
                    + "its locks for the other nodes (idle_in_transaction_session_timeout; default: ${DEFAULT-VALUE}).")
    String dbIdleInTransactionTimeout;

    @Option(names = "--json", description = "Print the JSON envelope of a start-up failure even on a terminal.")
    boolean json;

    @Mixin
    DatabaseOptions database;

    @Mixin
    AuditChainOptions auditChain;

    @Override
    public Integer call() {
        Output output = Output.create(json);
        try {
            TtlPolicy ttlPolicy = policy == null ? TtlPolicy.defaults() : PolicyFile.load(policy);
            BrokerConfig.Builder builder = BrokerConfig.builder()
                    .listen(listen)
                    .home(MayflyHome.resolve(home, System.getenv()))
                    .policy(ttlPolicy)
                    .issuer(issuer)
                    .signingAlgorithm(parseAlg(signingAlg))
                    .insecure(insecure)
                    .limits(HttpLimits.defaults()
                            .withIdleTimeout(DurationOption.parse(idleTimeout, "--idle-timeout"))
                            .withRequestReadTimeout(DurationOption.parse(requestTimeout, "--request-timeout"))
                            .withMaxRequestHeaderBytes(maxHeaderSize)
                            .withMaxConnections(maxConnections))
                    .leakReporterKeys(leakReporterKeys)
                    .newAdmin(newAdmin)
                    .auditChain(auditChain.config());
            if (tlsCert != null || tlsKey != null) {
                builder.tls(tlsCert, tlsKey);
            }
            String dbUrl = database.url(System.getenv());
            if (dbUrl != null) {
                builder.database(dbUrl, database.user(), database.password(System.getenv()));
                builder.databaseTimeouts(databaseTimeouts());
            }
            BrokerConfig config = builder.build();
            ListenAddress.requireFree(config.host(), config.port());
            Broker broker = Broker.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "mayfly-shutdown"));
            System.err.println("mayfly: broker ready at " + broker.issuer() + " (Ctrl-C to stop)");
            return KEEP_RUNNING;
        } catch (RuntimeException e) {
            return output.failure(e);
        }
    }

    private DatabaseTimeouts databaseTimeouts() {
        Duration lock = DurationOption.parse(dbLockTimeout, "--db-lock-timeout");
        Duration statement = DurationOption.parse(dbStatementTimeout, "--db-statement-timeout");
        Duration idle = DurationOption.parse(dbIdleInTransactionTimeout, "--db-idle-in-transaction-timeout");
        try {
            return DatabaseTimeouts.defaults().withServerSide(lock, statement, idle);
        } catch (IllegalArgumentException e) {
            throw new dev.mayfly.core.error.MayflyException(dev.mayfly.core.error.ErrorCode.USAGE,
                    "--db-statement-timeout must be longer than --db-lock-timeout.");
        }
    }

    private static SigningAlgorithm parseAlg(String s) {
        try {
            return SigningAlgorithm.parse(s);
        } catch (IllegalArgumentException e) {
            throw new dev.mayfly.core.error.MayflyException(dev.mayfly.core.error.ErrorCode.USAGE, e.getMessage());
        }
    }
}

package dev.mayfly.server;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.text.AsciiDecimal;
import dev.mayfly.server.audit.AuditChainConfig;
import dev.mayfly.server.crypto.SigningAlgorithm;
import dev.mayfly.server.http.HttpLimits;
import dev.mayfly.server.store.DatabaseTimeouts;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/** How to run a broker. Immutable; defaults as in DESIGN §3.5 (listen {@code 127.0.0.1:8470}). */
public final class BrokerConfig {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;

    private final String host;
    private final int port;
    private final Path home;
    private final TtlPolicy policy;
    private final Clock clock;
    private final String issuer;
    private final SigningAlgorithm signingAlgorithm;
    private final boolean insecure;
    private final Map<String, String> env;
    private final java.time.Duration feedHeartbeat;
    private final java.time.Duration webhookPoll;
    private final boolean auditEnabled;
    private final String databaseUrl;
    private final String databaseUser;
    private final String databasePassword;
    private final Path tlsCertificate;
    private final Path tlsKey;
    private final HttpLimits limits;
    private final Path leakReporterKeys;
    private final DatabaseTimeouts databaseTimeouts;
    private final AuditChainConfig auditChain;
    private final boolean newAdmin;

    private BrokerConfig(Builder b) {
        if ((b.tlsCertificate == null) != (b.tlsKey == null)) {
            throw Builder.usage("TLS needs both --tls-cert and --tls-key.");
        }
        this.tlsCertificate = b.tlsCertificate;
        this.tlsKey = b.tlsKey;
        this.limits = b.limits;
        this.leakReporterKeys = b.leakReporterKeys;
        this.databaseTimeouts = b.databaseTimeouts;
        this.auditChain = b.auditChain;
        this.newAdmin = b.newAdmin;
        this.auditEnabled = b.auditEnabled;
        this.databaseUrl = b.databaseUrl;
        this.databaseUser = b.databaseUser;
        this.databasePassword = b.databasePassword;
        this.webhookPoll = b.webhookPoll;
        this.feedHeartbeat = b.feedHeartbeat;
        this.host = b.host;
        this.port = b.port;
        this.home = Objects.requireNonNull(b.home, "home");
        this.policy = b.policy;
        this.clock = b.clock;
        this.issuer = b.issuer;
        this.signingAlgorithm = b.signingAlgorithm;
        this.insecure = b.insecure;
        this.env = Map.copyOf(b.env);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Path home() {
        return home;
    }

    public TtlPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /** The configured issuer URL, or {@code null} to derive {@code http://host:port} once bound. */
    public String issuer() {
        return issuer;
    }

    public SigningAlgorithm signingAlgorithm() {
        return signingAlgorithm;
    }

    public boolean insecure() {
        return insecure;
    }

    /** The environment the broker reads {@code MAYFLY_MASTER_KEY} from (injected for tests). */
    public Map<String, String> env() {
        return env;
    }

    /** How often an idle revocation stream sends a heartbeat (default 10 s). */
    public java.time.Duration feedHeartbeat() {
        return feedHeartbeat;
    }

    /** How often due webhook deliveries are sent (default 1 s). */
    public java.time.Duration webhookPoll() {
        return webhookPoll;
    }

    /** Register a fresh admin agent at start and replace admin.json with its credentials ({@code --new-admin}). */
    public boolean newAdmin() {
        return newAdmin;
    }

    /** False only in benchmarks that measure what the audit trail costs; never offered on the command line. */
    public boolean auditEnabled() {
        return auditEnabled;
    }

    /** This node's audit chain: node id, checkpoint directory and schedule. */
    public AuditChainConfig auditChain() {
        return auditChain;
    }

    /** A PostgreSQL JDBC URL, or {@code null} for the embedded SQLite database in the home directory. */
    public String databaseUrl() {
        return databaseUrl;
    }

    public String databaseUser() {
        return databaseUser;
    }

    /** The database password (from the environment or a file, never a command line). */
    public String databasePassword() {
        return databasePassword;
    }

    /** How long a node waits on PostgreSQL for a connection, a lock, a statement (see {@link DatabaseTimeouts}). */
    public DatabaseTimeouts databaseTimeouts() {
        return databaseTimeouts;
    }

    /** The PEM certificate chain served over TLS, or {@code null} for plain HTTP. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** The PEM private key of {@link #tlsCertificate()}, or {@code null} for plain HTTP. */
    public Path tlsKey() {
        return tlsKey;
    }

    /** True when the broker serves HTTPS itself. */
    public boolean tls() {
        return tlsCertificate != null;
    }

    /** Timeouts and size limits of the HTTP connector. */
    public HttpLimits limits() {
        return limits;
    }

    /**
     * GitHub's secret-scanning public keys (the JSON GitHub serves at
     * {@code /meta/public_keys/secret_scanning}); when set, GitHub-form leak reports must be signed. Or {@code null}.
     */
    public Path leakReporterKeys() {
        return leakReporterKeys;
    }

    /** True when the listen address is loopback only. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path home;
        private TtlPolicy policy = TtlPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private String issuer;
        private SigningAlgorithm signingAlgorithm = SigningAlgorithm.EDDSA;
        private boolean insecure;
        private Map<String, String> env = System.getenv();
        private java.time.Duration feedHeartbeat = java.time.Duration.ofSeconds(10);
        private java.time.Duration webhookPoll = java.time.Duration.ofSeconds(1);
        private String databaseUrl;
        private boolean auditEnabled = true;
        private String databaseUser;
        private String databasePassword;
        private Path tlsCertificate;
        private Path tlsKey;
        private HttpLimits limits = HttpLimits.defaults();
        private Path leakReporterKeys;
        private DatabaseTimeouts databaseTimeouts = DatabaseTimeouts.defaults();
        private AuditChainConfig auditChain = AuditChainConfig.defaults();
        private boolean newAdmin;

        private Builder() {
        }

        /** {@code host:port}, {@code :port}, or {@code host}; IPv6 hosts in brackets. */
        public Builder listen(String hostPort) {
            String s = hostPort.trim();
            int colon = s.lastIndexOf(':');
            if (colon < 0 || (s.startsWith("[") && s.endsWith("]"))) {
                this.host = stripBrackets(s);
                return this;
            }
            String h = s.substring(0, colon);
            try {
                this.port = (int) Math.min(Integer.MAX_VALUE, AsciiDecimal.parse(s.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw usage("--listen takes HOST:PORT, got '" + hostPort + "'");
            }
            if (port < 0 || port > 65535) {
                throw usage("--listen port must be 0-65535, got " + port);
            }
            if (!h.isEmpty()) {
                this.host = stripBrackets(h);
            }
            return this;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder home(Path home) {
            this.home = home;
            return this;
        }

        public Builder policy(TtlPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer == null ? null : issuer.replaceAll("/+$", "");
            return this;
        }

        public Builder signingAlgorithm(SigningAlgorithm alg) {
            this.signingAlgorithm = Objects.requireNonNull(alg);
            return this;
        }

        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        public Builder env(Map<String, String> env) {
            this.env = Objects.requireNonNull(env);
            return this;
        }

        public Builder feedHeartbeat(java.time.Duration interval) {
            this.feedHeartbeat = Objects.requireNonNull(interval);
            return this;
        }

        public Builder webhookPoll(java.time.Duration interval) {
            this.webhookPoll = Objects.requireNonNull(interval);
            return this;
        }

        /**
         * Uses PostgreSQL: a {@code jdbc:postgresql://} URL or a {@code postgresql://user@host:port/db} URI
         * (converted); a password in the URI is accepted but belongs in {@link #databasePassword}.
         */
        public Builder database(String url, String user, String password) {
            DatabaseUrl parsed = DatabaseUrl.parse(url);
            this.databaseUrl = parsed.jdbcUrl();
            this.databaseUser = user != null ? user : parsed.user();
            this.databasePassword = password != null ? password : parsed.password();
            return this;
        }

        /** Bounds on every wait for PostgreSQL (default {@link DatabaseTimeouts#defaults()}). */
        public Builder databaseTimeouts(DatabaseTimeouts timeouts) {
            this.databaseTimeouts = Objects.requireNonNull(timeouts);
            return this;
        }

        /** Serve HTTPS with this PEM certificate chain and private key (both or neither). */
        public Builder tls(Path certificateChain, Path privateKey) {
            this.tlsCertificate = certificateChain;
            this.tlsKey = privateKey;
            return this;
        }

        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /** Require GitHub-signed leak reports, verified with the public keys in this file. */
        public Builder leakReporterKeys(Path file) {
            this.leakReporterKeys = file;
            return this;
        }

        /** Benchmarks only: turns the audit trail off to measure its cost. */
        public Builder auditChain(AuditChainConfig auditChain) {
            this.auditChain = Objects.requireNonNull(auditChain, "auditChain");
            return this;
        }

        public Builder auditEnabled(boolean enabled) {
            this.auditEnabled = enabled;
            return this;
        }

        /** Break-glass: a fresh admin agent at start, for when the admin's secret was revoked or admin.json lost. */
        public Builder newAdmin(boolean newAdmin) {
            this.newAdmin = newAdmin;
            return this;
        }

        public BrokerConfig build() {
            return new BrokerConfig(this);
        }

        private static String stripBrackets(String h) {
            return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        }

        static MayflyException usage(String message) {
            return new MayflyException(MayflyError.of(ErrorCode.USAGE, message));
        }
    }
}

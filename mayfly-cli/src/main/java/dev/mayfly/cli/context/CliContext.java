package dev.mayfly.cli.context;

import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.SessionStore;
import dev.mayfly.client.TokenSource;
import dev.mayfly.client.V1Api;
import java.net.URI;
import dev.mayfly.client.MayflyHttp;
import dev.mayfly.cli.broker.CaBundle;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one invocation runs in: its environment, its clock, the home directory and the broker it talks to.
 * Built once in {@code Main} and handed to every command, so tests can run the whole CLI in-process with an
 * environment and a clock of their own.
 */
public final class CliContext {
    public static final String DEFAULT_URL = "http://127.0.0.1:8470";
    public static final String URL_VAR = "MAYFLY_URL";
    public static final String HOME_VAR = "MAYFLY_HOME";

    private final Map<String, String> env;
    private final Clock clock;
    private MayflyHttp http;

    public CliContext(Map<String, String> env, Clock clock) {
        this.env = Map.copyOf(env);
        this.clock = clock;
    }

    public static CliContext fromProcess() {
        Map<String, String> env = System.getenv();
        return new CliContext(env, CliClock.from(env));
    }

    public Map<String, String> env() {
        return env;
    }

    /** The variable's value, or {@code null} when unset or blank. */
    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    /** {@code $MAYFLY_HOME}, else {@code ~/.mayfly}. */
    public Path home() {
        String fromEnv = env(HOME_VAR);
        return fromEnv != null ? Path.of(fromEnv) : Path.of(System.getProperty("user.home"), ".mayfly");
    }

    /**
     * The broker URL: an explicit {@code --url}, else {@code $MAYFLY_URL}, else the default; no trailing slash.
     * A URL that is not {@code http(s)://HOST...} is {@code USAGE} here, before any credential is looked up
     * for it (else {@code localhost:8470} would end as "Not logged in"). Several nodes of one broker
     * (comma-separated) come back as one normalised comma-separated string: the session cache's key, so a
     * login remembers the whole set; {@link #oauth}, {@link #sessionTokens} and {@link #v1} fail over across it.
     */
    public String brokerUrl(String explicit) {
        return brokerUrl(explicit, null);
    }

    /** As {@link #brokerUrl(String)}, with a fallback (e.g. from admin.json) before the default. */
    public String brokerUrl(String explicit, String fallback) {
        String url;
        String from;
        if (explicit != null && !explicit.isBlank()) {
            url = explicit.trim();
            from = "--url";
        } else if (env(URL_VAR) != null) {
            url = env(URL_VAR).trim();
            from = "$" + URL_VAR;
        } else if (fallback != null && !fallback.isBlank()) {
            url = fallback.trim();
            from = "admin.json";
        } else {
            url = DEFAULT_URL;
            from = "the default";
        }
        return String.join(",", BrokerUrl.parse(url, from));
    }

    /** The URLs in a string {@link #brokerUrl} returned (one, or several nodes). */
    public static List<String> brokerUrls(String url) {
        return BrokerUrl.split(url);
    }

    private static List<URI> uris(String url) {
        return brokerUrls(url).stream().map(URI::create).collect(Collectors.toUnmodifiableList());
    }

    /** Mayfly's {@code /v1} API at the broker's URL (or nodes, failing over), on this invocation's transport. */
    public V1Api v1(String url) {
        return http().v1(brokerUrls(url));
    }

    /** The broker's OAuth endpoints, through the client library, on this invocation's HTTP client and clock. */
    public OAuthClient oauth(String url) {
        OAuthClient client = bearerOAuth(url);
        // A session logged in with --dpop proves its key on every token request (RFC 9449 §5).
        return new dev.mayfly.cli.auth.DpopKeyring(home()).forUrl(url).map(client::withDpop).orElse(client);
    }

    /** The broker's OAuth endpoints without the cached session's DPoP key (a new login chooses its own). */
    public OAuthClient bearerOAuth(String url) {
        MayflyHttp h = http();
        return OAuthClient.create(uris(url), h.client(), h.requestTimeout(), clock, CaBundle.TLS_HINT);
    }

    /**
     * The client library's token source for the session in {@code store}, one-shot: it renews only when a
     * command needs it, once, under the cache lock, and reports a failure at once as classified.
     */
    public TokenSource sessionTokens(String url, SessionStore store) {
        MayflyHttp h = http();
        TokenSource.Builder b = TokenSource.builder().brokers(uris(url)).httpClient(h.client()).requestTimeout(h.requestTimeout())
                .clock(clock).tlsHint(CaBundle.TLS_HINT).failFast(true).sessionStore(store);
        new dev.mayfly.cli.auth.DpopKeyring(home()).forUrl(url).ifPresent(b::dpop);
        return b.build();
    }

    public synchronized MayflyHttp http() {
        if (http == null) {
            http = MayflyHttp.builder().requestTimeout(Duration.ofSeconds(30)).sslContext(CaBundle.fromEnv(env))
                    .tlsHint(CaBundle.TLS_HINT).clock(clock)
                    // A bound token is presented with its key's proof, found in the credential cache by its cnf.jkt.
                    .dpopKeys(new dev.mayfly.cli.auth.DpopKeyring(home())::forThumbprint).build();
        }
        return http;
    }
}

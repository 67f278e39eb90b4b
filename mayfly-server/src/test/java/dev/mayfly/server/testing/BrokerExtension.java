package dev.mayfly.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.core.policy.TtlPolicy;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.server.Broker;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import dev.mayfly.server.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Starts a real broker for a test class: port 0 on loopback, real SQLite in a fresh temporary home, time
 * from a {@link ManualClock} the test moves. After the class it checks that nothing the broker logged
 * contains a Mayfly secret or a JWT, and deletes the home.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BrokerExtension broker = new BrokerExtension();
 * </pre>
 */
public final class BrokerExtension implements BeforeAllCallback, AfterAllCallback {
    public static final Instant START = Instant.parse("2026-11-22T14:00:00Z");
    private static final Pattern SECRET_IN_LOG =
            Pattern.compile("mfy_(rt|cs|wh)_[0-9A-Za-z]{38}|eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}");

    private final ManualClock clock = new ManualClock(START);
    private final Consumer<BrokerConfig.Builder> customizer;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Path home;
    private int port;
    private Broker broker;
    private BrokerClient client;
    private String issuer;
    private javax.net.ssl.SSLContext clientTls;

    public BrokerExtension() {
        this(b -> { });
    }

    public BrokerExtension(Consumer<BrokerConfig.Builder> customizer) {
        this.customizer = customizer;
    }

    /** The trust {@link #client()} uses, for a broker the customizer set up with TLS. */
    public BrokerExtension trusting(javax.net.ssl.SSLContext tls) {
        this.clientTls = tls;
        return this;
    }

    public static BrokerExtension withPolicy(TtlPolicy policy) {
        return new BrokerExtension(b -> b.policy(policy));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home = Files.createTempDirectory("mayfly-test-home");
        logs.start();
        root().addAppender(logs);
        start();
    }

    /** Starts the broker; a restart reuses the home and the port, so the issuer URL stays the same. */
    public void start() {
        BrokerConfig.Builder b = BrokerConfig.builder().listen("127.0.0.1:" + port).home(home).clock(clock).env(Map.of());
        customizer.accept(b);
        broker = Broker.start(b.build());
        port = broker.port();
        issuer = broker.issuer();
        client = new BrokerClient(issuer, clientTls);
    }

    public void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stop();
        root().detachAppender(logs);
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        StringBuilder all = new StringBuilder();
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            String line = e.getFormattedMessage()
                    + (e.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(e.getThrowableProxy()));
            all.append(line).append('\n');
            if (SECRET_IN_LOG.matcher(line).find()) {
                leaks.add(line);
            }
        }
        assertThat(leaks).as("log lines holding a Mayfly secret or a JWT").isEmpty();
        // And Mayfly's own scanner, with every built-in rule and decoder, finds nothing in them either.
        ScanResult scanned = SecretScanner.create().scan(all, "broker log");
        String[] lines = all.toString().split("\n", -1);
        assertThat(scanned.findings()).as(() -> "secrets the scanner found in the broker's log, in lines: "
                + scanned.findings().stream().map(f -> f.ruleId() + " in: " + redactedLine(lines, f.line())).toList())
                .isEmpty();
    }

    /** The log line a finding is on, with the scanner's own redaction applied (a test failure must not print a secret). */
    private static String redactedLine(String[] lines, int line) {
        return line >= 1 && line <= lines.length ? SecretScanner.create().redactor().redact(lines[line - 1]) : "?";
    }

    private static Logger root() {
        return ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    public ManualClock clock() {
        return clock;
    }

    public Broker broker() {
        return broker;
    }

    public BrokerClient client() {
        return client;
    }

    /** The issuer URL; the same while the broker is stopped (a restart keeps the port). */
    public String issuer() {
        return issuer;
    }

    public Path home() {
        return home;
    }

    /** Every message logged so far. */
    public List<String> logLines() {
        List<String> out = new ArrayList<>();
        logs.list.forEach(e -> out.add(e.getFormattedMessage()));
        return out;
    }

    /** The bootstrap admin's credentials as written to {@code admin.json}. */
    public JsonNode adminCredentials() {
        try {
            return Json.mapper().readTree(home.resolve("admin.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.mayfly.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/** A broker started with the release's own {@code bin/mayfly server}, on a free loopback port, until {@link #stop}. */
final class ReleaseBroker {
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private final Path home;
    private final URI url;

    private ReleaseBroker(Process process, Path log, Path home, URI url) {
        this.process = process;
        this.log = log;
        this.home = home;
        this.url = url;
    }

    /** Starts it and waits until {@code /readyz} answers 200; {@code tls} is {chain, key}, or empty for HTTP. */
    static ReleaseBroker start(UnpackedRelease release, Path dir, SSLContext trust, String... tls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path home = dir.resolve("broker-home");
        Path log = dir.resolve("broker.log");
        List<String> args = new ArrayList<>(List.of("bin/mayfly", "server", "--listen", "127.0.0.1:" + port,
                "--home", home.toString()));
        if (tls.length == 2) {
            args.addAll(List.of("--tls-cert", tls[0], "--tls-key", tls[1]));
        }
        Process p = release.command(Map.of(), args.toArray(new String[0]))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        URI url = URI.create((tls.length == 2 ? "https" : "http") + "://127.0.0.1:" + port);
        ReleaseBroker broker = new ReleaseBroker(p, log, home, url);
        broker.awaitReady(trust);
        return broker;
    }

    URI url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    /** The bootstrap admin's client id or secret, from {@code admin.json} in the broker's home. */
    String admin(String field) throws IOException {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(home.resolve("admin.json")));
        assertThat(m.find()).as("%s in admin.json", field).isTrue();
        return m.group(1);
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, as systemd and a container runtime stop it; returns the exit code. */
    int stop() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("broker did not stop within 30 s of SIGTERM: " + log());
        }
        return process.exitValue();
    }

    private void awaitReady(SSLContext trust) throws Exception {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (trust != null) {
            b.sslContext(trust);
        }
        HttpClient http = b.build();
        URI ready = url.resolve("/readyz");
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("broker exited: %s", log()).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100); // polling for start-up, not waiting out an expiry
        }
        throw new AssertionError("broker did not answer " + ready + " with 200 within " + START_DEADLINE + ": " + log());
    }
}

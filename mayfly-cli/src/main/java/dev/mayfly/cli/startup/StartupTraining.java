package dev.mayfly.cli.startup;

import com.sun.net.httpserver.HttpServer;
import dev.mayfly.cli.Main;
import dev.mayfly.cli.context.CliContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run of the launcher's class-data-sharing archive ({@code bin/mayfly}): runs, in this process,
 * the short commands whose start-up matters ({@code whoami} logged in to a broker, {@code errors},
 * {@code --version}, {@code --help}, a usage error), so that the classes they load are the ones the launcher
 * archives, whichever command a user happens to run first. {@code whoami} runs for real, against a loopback
 * server answering as the broker does, with a cached session in a throw-away home: the HTTP client, the
 * credential cache, the envelope and JSON classes are all loaded the way a real run loads them. Nothing is
 * printed (the commands' output is discarded) and nothing outside the throw-away home is touched.
 *
 * <p>Run by the launcher as {@code java -cp mayfly.jar dev.mayfly.cli.startup.StartupTraining} under
 * {@code -XX:DumpLoadedClassList} (JDK 17) or {@code -XX:AOTCacheOutput} (JDK 25); exits 0 when every command
 * ended as expected, 1 otherwise (the launcher then keeps no archive).
 */
public final class StartupTraining {
    private StartupTraining() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run().equals(expected()) ? 0 : 1);
    }

    /** The exit codes {@link #run} must return, command by command. */
    public static List<Integer> expected() {
        return List.of(0, 0, 0, 0, 0, 2);
    }

    /** Runs the training commands and returns their exit codes, in order. */
    public static List<Integer> run() throws IOException {
        Path home = Files.createTempDirectory("mayfly-training");
        HttpServer broker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        try {
            String url = "http://127.0.0.1:" + broker.getAddress().getPort();
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            String token = unsignedToken(url, now);
            broker.createContext("/v1/whoami", exchange -> {
                byte[] body = whoamiEnvelope(url, now).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            broker.start();
            Files.writeString(home.resolve("credentials.json"), credentials(url, token, now));
            CliContext context = new CliContext(Map.of(CliContext.URL_VAR, url, CliContext.HOME_VAR, home.toString()),
                    Clock.systemUTC());
            PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
            System.setOut(discard);
            System.setErr(discard);
            List<Integer> codes = new ArrayList<>();
            codes.add(Main.run(context, "whoami"));
            codes.add(Main.run(context, "whoami", "--json"));
            codes.add(Main.run(context, "errors"));
            codes.add(Main.run(context, "--version"));
            codes.add(Main.run(context, "--help"));
            codes.add(Main.run(context, "whoami", "--no-such-option"));
            return codes;
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
            broker.stop(0);
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** A JWT-shaped access token (header, claims, no valid signature): the client only peeks at its claims. */
    private static String unsignedToken(String url, Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"training\"}";
        String claims = "{\"iss\":\"" + url + "\",\"sub\":\"agt_training\",\"aud\":\"" + url + "\",\"exp\":"
                + now.plus(1, ChronoUnit.HOURS).getEpochSecond() + ",\"iat\":" + now.getEpochSecond()
                + ",\"jti\":\"training\",\"scope\":\"mayfly:admin\"}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[64]);
    }

    /** The credential cache as {@code mayfly auth login} writes it, one session valid for the next hour. */
    private static String credentials(String url, String token, Instant now) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("url", url);
        s.put("client_id", "cid_training");
        s.put("agent_id", "agt_training");
        s.put("session_id", "ses_training");
        s.put("access_token", token);
        s.put("expires_at", now.plus(1, ChronoUnit.HOURS).toString());
        s.put("refresh_after", now.plus(45, ChronoUnit.MINUTES).toString());
        s.put("refresh_token", "mfy_rt_training");
        s.put("session_expires_at", now.plus(2, ChronoUnit.HOURS).toString());
        s.put("tier", "critical");
        s.put("obtained_at", now.toString());
        StringBuilder json = new StringBuilder("{\"version\":1,\"sessions\":{\"").append(url).append("\":{");
        s.forEach((k, v) -> json.append('"').append(k).append("\":\"").append(v).append("\","));
        return json.append("\"scopes\":[\"mayfly:admin\"]}}}").toString();
    }

    /** What the broker's {@code GET /v1/whoami} answers for that session. */
    private static String whoamiEnvelope(String url, Instant now) {
        Instant exp = now.plus(1, ChronoUnit.HOURS);
        return "{\"ok\":true,\"data\":{\"agent_id\":\"agt_training\",\"client_id\":\"cid_training\","
                + "\"session_id\":\"ses_training\",\"task_id\":null,\"token_kind\":\"session\","
                + "\"scopes\":[\"mayfly:admin\"],\"audience\":[\"" + url + "\"],\"tier\":\"critical\","
                + "\"jti\":\"training\",\"issued_at\":\"" + now + "\",\"expires_at\":\"" + exp + "\","
                + "\"expires_in_s\":3600,\"claims\":{\"sub\":\"agt_training\"}},\"error\":null,\"warnings\":[],"
                + "\"meta\":{\"duration_ms\":1,\"request_id\":\"req_training\",\"schema_version\":\"1\"}}";
    }
}

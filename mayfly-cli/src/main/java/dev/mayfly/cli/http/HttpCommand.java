package dev.mayfly.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.cli.auth.Credentials;
import dev.mayfly.client.HttpReply;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.TaskTokenSource;
import dev.mayfly.cli.token.TaskTokens;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mayfly http METHOD URL}: one authenticated request. A 401 classified as expiry gets one refresh and
 * one replay; a denial exits 8 at once; the response body comes back in {@code data}.
 *
 * <p>Failures are classified by the {@code mayfly-client} SDK's classifier ({@link ServiceFailures}). The
 * SDK's {@code AuthenticatedHttpClient} is not used: it renews through its own {@code TokenSource}, whose
 * session lives in memory, so a refresh through it would rotate the refresh token behind the back of the
 * shared credential cache, and the next invocation's refresh would look like reuse and end the session. The
 * refresh-and-replay here goes through the CLI's credential sources instead (cache lock, exec endpoint).
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"Send an authenticated HTTP request with the current token (or, with --audience/--scope, a task "
                + "token minted for it). On a 401 classified as expiry: refresh once and replay. On a denial: exit 8, "
                + "no retry. data holds status, content_type and body (JSON parsed when it is JSON).",
                "Other failures exit with their catalog code (404 -> 5, 409 -> 6, 429 -> 9, 503 -> 12...) and carry "
                        + "http_status and the response body in the error."})
@Outcomes(data = "status, content_type, body", authenticated = true,
        errors = {ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.PRECONDITION, ErrorCode.INTERNAL})
public final class HttpCommand extends CliCommand {
    private static final int MAX_BODY = 1024 * 1024;
    /** Headers that would carry a credential: mayfly sets Authorization itself, and secrets are never arguments. */
    private static final Set<String> REFUSED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie", "x-api-key");

    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Parameters(index = "0", paramLabel = "METHOD", description = "GET, POST, PUT, PATCH, DELETE, HEAD...")
    String method;

    @Parameters(index = "1", paramLabel = "URL", description = "Absolute http(s) URL.")
    String url;

    @Option(names = {"-d", "--data"}, paramLabel = "DATA",
            description = "Request body: text, @FILE to read a file, or @- to read stdin (default Content-Type: application/json).")
    String data;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "Extra request header (repeatable).")
    List<String> headers = List.of();

    @Option(names = "--audience", paramLabel = "AUDIENCE", split = ",",
            description = "Use a task token for this audience (repeatable).")
    List<String> audiences;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",", description = "Scopes of that task token (repeatable).")
    List<String> scopes;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", description = "Request deadline (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        URI target = target();
        String brokerUrl = ctx.brokerUrl(broker.url);
        byte[] body = body();
        Duration deadline = DurationOption.parse(timeout, "--timeout");
        CredentialSource source = Credentials.resolve(ctx, brokerUrl, refresh.autoRefresh());
        if (audiences != null || scopes != null) {
            source = new TaskTokenSource(source, new TaskTokens(source, ctx.oauth(brokerUrl)),
                    new TaskTokens.Request(scopes, audiences, null, null));
        }
        String origin = Origin.of(target);
        boolean foreign = CliContext.brokerUrls(brokerUrl).stream().noneMatch(node -> Origin.same(target, URI.create(node)));
        HttpReply reply = AuthenticatedCall.run(source, out, t -> {
            if (foreign) {
                refuseBrokerToken(t, origin, brokerUrl);
            }
            HttpReply r = ctx.http().send(request(target, body, t), deadline);
            if (!r.successful()) {
                throw new MayflyException(failure(r, t, ctx, origin, foreign));
            }
            return r;
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", reply.status());
        result.put("content_type", reply.header("Content-Type"));
        result.put("body", bodyOf(reply));
        return out.ok(result, p -> p.println(reply.text()));
    }

    /**
     * A token the broker accepts (a session token, or any whose audience names its issuer) is never sent to
     * another host: that host could exchange it at the broker for any scope of the session. Another host
     * gets a task token minted for its audience ({@code --audience}), or a caller-chosen token that is not
     * for the broker; a token the CLI cannot read is treated as the broker's.
     */
    private static void refuseBrokerToken(AccessToken token, String origin, String brokerUrl) {
        boolean forBroker = token.claims().map(c -> c.audience().isEmpty() || c.audience().contains(c.issuer()))
                .orElse(true);
        if (forBroker) {
            throw new MayflyException(ErrorCode.USAGE, "mayfly http sends a token the broker accepts only to the broker ("
                    + Origin.of(URI.create(CliContext.brokerUrls(brokerUrl).get(0))) + "). For " + origin + ", add --audience AUDIENCE (the audience that "
                    + "service accepts, e.g. " + origin + ") and --scope SCOPE to send it a task token minted for it.");
        }
    }

    private MayflyError failure(HttpReply r, AccessToken sent, CliContext ctx, String origin, boolean foreign) {
        MayflyError e = new ServiceFailures(ctx.clock()).classify(r, sent, origin);
        MayflyError.Builder b = e.toBuilder().detail("http_status", r.status()).detail("response", bodyOf(r));
        if (e.code() == ErrorCode.CREDENTIALS_INVALID && e.reauthCommand() == null && foreign && audiences == null) {
            // The session token is for the broker; a resource server wants one audienced to it.
            b.reauthCommand("mayfly http " + method + " " + url + " --audience " + origin);
        }
        return b.build();
    }

    private URI target() {
        try {
            URI u = URI.create(url);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return u;
        } catch (IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, "URL must be an absolute http:// or https:// URL.");
        }
    }

    private HttpRequest.Builder request(URI target, byte[] body, AccessToken token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(target)
                .method(method.toUpperCase(Locale.ROOT),
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        boolean contentType = false;
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new MayflyException(ErrorCode.USAGE, "A header must read 'NAME: VALUE'.");
            }
            String name = h.substring(0, colon).trim();
            if (REFUSED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new MayflyException(ErrorCode.USAGE, "Header " + name + " is not accepted: mayfly sends the credential "
                        + "itself, and secrets never go in arguments.");
            }
            contentType |= name.equalsIgnoreCase("Content-Type");
            b.header(name, h.substring(colon + 1).trim());
        }
        if (body != null && !contentType) {
            b.header("Content-Type", "application/json");
        }
        // Bearer, or DPoP with a fresh proof when the token is bound to a key in the credential cache (RFC 9449).
        return context().http().authorize(b, method.toUpperCase(Locale.ROOT), target, token.value());
    }

    private byte[] body() {
        if (data == null) {
            return null;
        }
        if (data.equals("@-")) {
            return Stdin.readText("a request body").getBytes(StandardCharsets.UTF_8);
        }
        if (data.startsWith("@")) {
            try {
                return Files.readAllBytes(Path.of(data.substring(1)));
            } catch (IOException e) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the request body from " + data.substring(1) + ".");
            }
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }

    private static Object bodyOf(HttpReply r) {
        JsonNode json = r.json();
        if (json != null) {
            return json;
        }
        String text = r.text();
        return text.length() > MAX_BODY ? text.substring(0, MAX_BODY) : text;
    }
}

package dev.mayfly.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.client.ClientAssertions;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code auth login}'s ways to log in without a client secret (RFC 7523 client assertions): a token file, the
 * platform's workload token ({@code --federated}), or an assertion signed with the agent's own key. The
 * assertion is a credential: it is never printed, logged or passed on.
 */
public final class AssertionOptions {
    /** Where a Kubernetes pod gets a projected service-account token audienced to the broker (see docs/cli.md). */
    static final Path KUBERNETES_TOKEN = Path.of("/var/run/secrets/tokens/mayfly");
    static final String ASSERTION_FILE = "MAYFLY_ASSERTION_FILE";
    static final String ACTIONS_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
    static final String ACTIONS_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

    @Option(names = "--assertion-file", paramLabel = "FILE",
            description = "Log in with the JWT in FILE as client assertion (a workload token of a federated issuer).")
    Path assertionFile;

    @Option(names = "--federated", description = {"Log in with the platform's workload token: $MAYFLY_ASSERTION_FILE, "
            + "else GitHub Actions ($ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN, audience = the broker), "
            + "else the Kubernetes projected token at /var/run/secrets/tokens/mayfly."})
    boolean federated;

    @Option(names = "--private-key", paramLabel = "FILE",
            description = "Log in with a fresh assertion signed by this private key (JWK or PKCS #8 PEM; its public "
                    + "key is registered with the agent).")
    Path privateKey;

    /** Whether any assertion login was asked for. */
    boolean requested() {
        return assertionFile != null || federated || privateKey != null;
    }

    /** The assertion supplier for this login, or empty for a secret login. */
    Optional<Supplier<String>> supplier(CliContext ctx, String brokerUrl, String clientId, Consumer<String> warn) {
        int chosen = (assertionFile != null ? 1 : 0) + (federated ? 1 : 0) + (privateKey != null ? 1 : 0);
        if (chosen == 0) {
            return Optional.empty();
        }
        if (chosen > 1) {
            throw new MayflyException(ErrorCode.USAGE, "Choose one of --assertion-file, --federated and --private-key.");
        }
        if (privateKey != null) {
            String key = Stdin.readSecretFile(privateKey, "a private key", warn).reveal();
            try {
                return Optional.of(ClientAssertions.privateKeyJwt(clientId, key, URI.create(brokerUrl), ctx.clock()));
            } catch (IllegalArgumentException e) {
                throw new MayflyException(ErrorCode.PRECONDITION, "Cannot use " + privateKey + ": " + e.getMessage() + ".");
            }
        }
        String token = assertionFile != null ? readToken(assertionFile) : platformToken(ctx, brokerUrl);
        return Optional.of(() -> token);
    }

    private static String platformToken(CliContext ctx, String brokerUrl) {
        if (ctx.env(ASSERTION_FILE) != null) {
            return readToken(Path.of(ctx.env(ASSERTION_FILE)));
        }
        if (ctx.env(ACTIONS_URL) != null && ctx.env(ACTIONS_TOKEN) != null) {
            return actionsToken(ctx, ctx.env(ACTIONS_URL), ctx.env(ACTIONS_TOKEN), brokerUrl);
        }
        if (Files.isReadable(KUBERNETES_TOKEN)) {
            return readToken(KUBERNETES_TOKEN);
        }
        throw new MayflyException(MayflyError.builder(ErrorCode.PRECONDITION,
                        "No workload token found for --federated: set " + ASSERTION_FILE + ", run in GitHub Actions with "
                                + "'permissions: id-token: write', or mount a projected service-account token at "
                                + KUBERNETES_TOKEN + ".")
                .detail("auth_methods", List.of(
                        AuthMethods.of("type", "env_var", "name", ASSERTION_FILE),
                        AuthMethods.of("type", "env_var", "name", ACTIONS_URL),
                        AuthMethods.of("type", "file", "path", KUBERNETES_TOKEN.toString()),
                        AuthMethods.of("type", "file", "flag", "--assertion-file")))
                .build());
    }

    /** GitHub Actions' OIDC token for the broker: GET the request URL with {@code audience}, bearer the request token. */
    private static String actionsToken(CliContext ctx, String requestUrl, String requestToken, String audience) {
        String url = requestUrl + (requestUrl.contains("?") ? "&" : "?") + "audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + requestToken).header("Accept", "application/json").GET().build();
        HttpResponse<String> r;
        try {
            r = ctx.http().client().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                    "GitHub Actions' token service did not answer (" + e.getClass().getSimpleName() + ").")
                    .retryAfterMs(1_000).build());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while asking GitHub Actions for a token.");
        }
        JsonNode value = null;
        if (r.statusCode() == 200) {
            try {
                value = Json.mapper().readTree(r.body()).get("value");
            } catch (IOException e) {
                value = null;
            }
        }
        if (value == null || !value.isTextual()) {
            throw new MayflyException(ErrorCode.PRECONDITION, "GitHub Actions' token service answered " + r.statusCode()
                    + " without a token; does the job have 'permissions: id-token: write'?");
        }
        return value.asText();
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new MayflyException(ErrorCode.PRECONDITION, file + " is empty; expected a JWT.");
            }
            return token;
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read the assertion from " + file + ".");
        }
    }
}

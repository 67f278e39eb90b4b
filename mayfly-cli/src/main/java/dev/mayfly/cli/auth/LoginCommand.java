package dev.mayfly.cli.auth;

import java.time.Duration;
import dev.mayfly.client.DpopKey;
import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.cache.CacheLock;
import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CredentialCache;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly auth login}: client credentials in, a session in the cache. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Start a session (OAuth client credentials) and cache it in $MAYFLY_HOME/credentials.json (0600).",
                "The client id comes from --client-id or MAYFLY_CLIENT_ID; the secret from --client-secret-file, "
                        + "--client-secret-stdin, MAYFLY_CLIENT_SECRET, or piped stdin. Never from an argument, never a prompt.",
                "Without a secret: --federated, --assertion-file or --private-key log in by JWT assertion (RFC 7523).",
                "A previous session with the same broker is ended."})
@Outcomes(data = "url, agent_id, client_id, session_id, scopes, tier, expires_at, expires_in_s, refresh_after, "
        + "session_expires_at, session_expires_in_s; with --dpop also token_type (DPoP) and dpop_jkt (never a token or key)",
        authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class LoginCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--client-id", paramLabel = "ID", description = "Client id (default: $MAYFLY_CLIENT_ID).")
    String clientId;

    @Option(names = "--client-secret-file", paramLabel = "FILE", description = "Read the client secret from this file.")
    Path secretFile;

    @Option(names = "--client-secret-stdin", description = "Read the client secret from stdin.")
    boolean secretStdin;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",",
            description = "Narrow the session to these scopes (repeatable; default: all the agent's scopes).")
    List<String> scopes;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Ask for a shorter access-token lifetime (e.g. 90s, 5m).")
    String ttl;

    @Mixin
    AssertionOptions assertion;

    @Option(names = "--dpop", description = "Bind the session to a new DPoP key (RFC 9449), kept in the credential cache "
            + "(0600, never printed): a copied token or refresh token is useless without it.")
    boolean dpop;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        String id = clientId != null ? clientId : ctx.env(Variables.CLIENT_ID);
        if (id == null) {
            throw missingInput("No client id: set MAYFLY_CLIENT_ID or pass --client-id.");
        }
        Duration asked = seconds(DurationOption.seconds(ttl, "--ttl"));
        var byAssertion = assertion.supplier(ctx, url, id, out::warn);
        DpopKey key = dpop ? DpopKey.generate() : null;
        OAuthClient oauth = key == null ? ctx.bearerOAuth(url) : ctx.bearerOAuth(url).withDpop(key);
        TokenResponse grant = byAssertion.isPresent()
                ? oauth.loginWithAssertion(id, byAssertion.get(), scopes, asked)
                : oauth.login(id, secret(ctx, out), scopes, asked);
        CachedSession session = CachedSession.fromLogin(url, id, grant, ctx.now());
        if (key != null) {
            session = session.withDpopKey(key.privateJwk());
        }
        CredentialCache cache = new CredentialCache(ctx.home());
        Optional<CachedSession> previous;
        try (CacheLock lock = cache.lock()) {
            previous = cache.read(url);
            cache.put(lock, session);
        }
        previous.ifPresent(p -> endPrevious(ctx, url, p, out));
        if (ctx.env(Variables.TOKEN) != null) {
            out.warn("MAYFLY_TOKEN is set and overrides the cached session for every command; unset it to use this login.");
        }
        Map<String, Object> view = new java.util.LinkedHashMap<>(SessionView.of(session, ctx.now()));
        if (key != null) {
            view.put("token_type", grant.tokenType());
            view.put("dpop_jkt", key.thumbprint()); // the key's thumbprint, public; the key itself stays in the cache
        }
        return out.ok(view, o -> SessionView.human(o, view));
    }

    private Secret secret(CliContext ctx, Output out) {
        if (secretFile != null) {
            return Stdin.readSecretFile(secretFile, "a client secret", out::warn);
        }
        if (secretStdin) {
            return Stdin.readSecret("a client secret");
        }
        String fromEnv = ctx.env(Variables.CLIENT_SECRET);
        if (fromEnv != null) {
            return Secret.of(fromEnv.trim());
        }
        // Nothing usable piped either: the error lists every way a secret can be given, not just stdin.
        return Stdin.readSecretIfPiped("a client secret").orElseThrow(() -> missingInput(
                "No client secret: set MAYFLY_CLIENT_SECRET, pass --client-secret-file FILE, or pipe it on stdin."));
    }

    /** A login replaces the cached session; the old one is ended so its refresh token cannot be used again. */
    private static void endPrevious(CliContext ctx, String url, CachedSession previous, Output out) {
        if (previous.refreshToken() == null) {
            return;
        }
        try {
            ctx.oauth(url).revoke(previous.refreshToken());
        } catch (MayflyException e) {
            out.warn("Could not end the previous session " + previous.sessionId() + " (" + e.code() + "); it lapses at "
                    + previous.sessionExpiresAt() + ".");
        }
    }

    private static MayflyException missingInput(String message) {
        return new MayflyException(MayflyError.builder(ErrorCode.PRECONDITION, message)
                .detail("auth_methods", List.of(
                        AuthMethods.of("type", "env_var", "name", Variables.CLIENT_ID),
                        AuthMethods.of("type", "env_var", "name", Variables.CLIENT_SECRET),
                        AuthMethods.of("type", "file", "flag", "--client-secret-file"),
                        AuthMethods.of("type", "stdin", "flag", "--client-secret-stdin")))
                .build());
    }

    private static Duration seconds(Long s) {
        return s == null ? null : Duration.ofSeconds(s);
    }
}

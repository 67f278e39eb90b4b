package dev.mayfly.cli.token;

import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.auth.Credentials;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.Stdin;
import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mayfly token inspect}: what a token claims, and what the broker says of it now. The live status
 * comes from {@code /v1/whoami} with the token itself (which accepts any authentic token whatever its
 * audience), so no client credentials are needed and the broker's classification is the one reported.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Show a token's claims and its live status at the broker (active, expired, revoked, invalid).",
                "The token comes from stdin (piped, or --stdin), else MAYFLY_TOKEN, else the current credential. "
                        + "Exit 0 whatever the status: the status is the answer."})
@Outcomes(data = "source, header, claims, expires_at, expires_in_s, status (active|expired|revoked|invalid|unknown), "
        + "status_error", errors = {ErrorCode.PRECONDITION, ErrorCode.CREDENTIALS_MISSING})
public final class InspectCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Option(names = "--stdin", description = "Read the token from stdin.")
    boolean stdin;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        String source;
        AccessToken token;
        java.util.Optional<Secret> piped = stdin ? java.util.Optional.of(Stdin.readSecret("a token"))
                : ctx.env(Variables.TOKEN) == null ? Stdin.readSecretIfPiped("a token") : java.util.Optional.empty();
        if (piped.isPresent()) {
            source = "stdin";
            token = AccessToken.of(piped.get());
        } else if (ctx.env(Variables.TOKEN) != null) {
            source = Variables.TOKEN;
            token = AccessToken.of(Secret.of(ctx.env(Variables.TOKEN).trim()));
        } else {
            var current = Credentials.resolve(ctx, url, false);
            source = current.kind();
            token = current.token(out);
        }
        Instant now = ctx.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("source", source);
        data.put("header", token.claims().map(c -> c.header()).orElse(null));
        data.put("claims", token.claims().map(c -> c.claims()).orElse(null));
        data.putAll(TokenView.of(token, now));
        if (token.claims().isEmpty()) {
            out.warn("This is not a JWT; only the broker can say more about it.");
        }
        try {
            ctx.v1(url).get("/v1/whoami", token.value());
            data.put("status", "active");
            data.put("status_error", null);
        } catch (MayflyException e) {
            data.put("status", status(e.error()));
            data.put("status_error", e.error());
            if (!e.code().isAuth()) {
                out.warn("Could not ask the broker about this token (" + e.code() + "); its status is unknown.");
            }
        }
        return out.ok(data, p -> data.forEach((k, v) -> p.printf("%-13s %s%n", k, v)));
    }

    private static String status(MayflyError e) {
        switch (e.code()) {
            case CREDENTIALS_EXPIRED: return "expired";
            case CREDENTIALS_REVOKED: return "revoked";
            case CREDENTIALS_INVALID: return "invalid";
            default: return "unknown";
        }
    }
}

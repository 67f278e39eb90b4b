package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mayfly auth refresh}: rotate the cached session's tokens now. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Refresh the cached session's access token now (rotating its refresh token).",
                "Safe to run in parallel: refreshes serialise on the cache lock. When the session itself has "
                        + "expired this fails with CREDENTIALS_EXPIRED and reauth_command 'mayfly auth login'."})
@Outcomes(data = "the session, as auth login prints it", authenticated = true, errors = {ErrorCode.PRECONDITION})
public final class RefreshCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        CachedSessionSource source = Credentials.cached(ctx, url, true);
        dev.mayfly.cli.cache.CachedSession refreshed;
        try {
            refreshed = source.refreshNow();
        } catch (dev.mayfly.core.error.MayflyException e) {
            throw AuthenticatedCall.explained(source, e, null);
        }
        if (ctx.env(Variables.TOKEN) != null) {
            out.warn("MAYFLY_TOKEN is set and overrides the cached session for every command.");
        }
        Map<String, Object> view = SessionView.of(refreshed, ctx.now());
        return out.ok(view, p -> SessionView.human(p, view));
    }
}

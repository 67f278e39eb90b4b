package dev.mayfly.cli.agent;

import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.cli.auth.Credentials;
import dev.mayfly.cli.context.CliContext;
import java.util.Optional;

/**
 * Which credential an admin command uses: the bootstrap admin in {@code $MAYFLY_HOME/admin.json} when the
 * file is there, else the current credential (an agent granted {@code mayfly:admin}).
 */
public final class AdminAccess {
    /** A source and the broker URL it is for. */
    public record Resolved(CredentialSource source, String url) {
    }

    private AdminAccess() {
    }

    public static Resolved resolve(CliContext ctx, String explicitUrl, boolean autoRefresh) {
        Optional<AdminCredentials> admin = AdminCredentials.load(ctx);
        if (admin.isPresent()) {
            String url = ctx.brokerUrl(explicitUrl, admin.get().url());
            return new Resolved(admin.get().source(ctx, url), url);
        }
        String url = ctx.brokerUrl(explicitUrl);
        return new Resolved(Credentials.resolve(ctx, url, autoRefresh), url);
    }
}

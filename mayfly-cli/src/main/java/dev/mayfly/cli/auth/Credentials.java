package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CachedSessionStore;
import dev.mayfly.cli.cache.CredentialCache;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.Variables;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.util.List;
import java.util.Optional;

/**
 * Picks the credential source for an invocation, first match wins:
 * <ol>
 *   <li>the loopback endpoint of an enclosing {@code mayfly exec} ({@code MAYFLY_CREDENTIALS_URL} and
 *       {@code MAYFLY_CREDENTIALS_TOKEN}): it always serves a fresh task token, whereas the
 *       {@code MAYFLY_TOKEN} that exec also set is frozen at the child's start;</li>
 *   <li>{@code MAYFLY_TOKEN}: used as given, never refreshed;</li>
 *   <li>the session cached for this broker URL by {@code mayfly auth login}.</li>
 * </ol>
 */
public final class Credentials {
    private Credentials() {
    }

    public static CredentialSource resolve(CliContext ctx, String url, boolean autoRefresh) {
        return resolve(ctx, url, autoRefresh, true);
    }

    /**
     * As {@link #resolve(CliContext, String, boolean)} from local state only: with no cached session it says
     * "not logged in" without first checking that the broker is reachable ({@code mayfly auth status}).
     */
    public static CredentialSource resolveLocally(CliContext ctx, String url) {
        return resolve(ctx, url, false, false);
    }

    private static CredentialSource resolve(CliContext ctx, String url, boolean autoRefresh, boolean probeBroker) {
        String endpoint = ctx.env(Variables.CREDENTIALS_URL);
        String endpointSecret = ctx.env(Variables.CREDENTIALS_TOKEN);
        if (endpoint != null && endpointSecret != null) {
            return new ExecEndpointSource(ctx.http(), endpoint, Secret.of(endpointSecret), ctx.clock());
        }
        String token = ctx.env(Variables.TOKEN);
        if (token != null) {
            return new EnvTokenSource(Secret.of(token.trim()), ctx.clock());
        }
        return cached(ctx, url, autoRefresh, probeBroker);
    }

    /**
     * The cached session only (commands that need a session, not just any token). Without one, an unreachable
     * broker is {@code UNAVAILABLE} before it is "not logged in": logging in could not help.
     */
    public static CachedSessionSource cached(CliContext ctx, String url, boolean autoRefresh) {
        return cached(ctx, url, autoRefresh, true);
    }

    private static CachedSessionSource cached(CliContext ctx, String url, boolean autoRefresh, boolean probeBroker) {
        CredentialCache cache = new CredentialCache(ctx.home());
        Optional<CachedSession> session = cache.read(url);
        if (session.isEmpty()) {
            if (probeBroker) {
                BrokerReachability.require(url);
            }
            throw notLoggedIn(url);
        }
        CachedSessionStore store = new CachedSessionStore(cache, url, ctx.clock());
        return new CachedSessionSource(url, session.get(), store, () -> ctx.sessionTokens(url, store), ctx.clock(),
                autoRefresh);
    }

    public static MayflyException notLoggedIn(String url) {
        return new MayflyException(MayflyError.builder(ErrorCode.CREDENTIALS_MISSING,
                        "Not logged in to " + url + ": run 'mayfly auth login' (with MAYFLY_CLIENT_ID and "
                                + "MAYFLY_CLIENT_SECRET set) or set MAYFLY_TOKEN.")
                .reauthCommand("mayfly auth login")
                .detail("auth_methods", List.of(
                        AuthMethods.of("type", "command", "command", "mayfly auth login",
                                "needs", List.of(Variables.CLIENT_ID, Variables.CLIENT_SECRET)),
                        AuthMethods.of("type", "env_var", "name", Variables.TOKEN)))
                .build());
    }
}

package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.ReissueHint;
import dev.mayfly.cli.token.TokenView;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code mayfly auth status}: which credential commands will use and how long it lasts, from local state
 * only (it neither calls the broker nor refreshes). Exit 0 even when not logged in: the answer is data.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the credential commands will use: its source (exec, MAYFLY_TOKEN or cache), identity, "
                + "scopes, expires_at, expires_in_s and whether it can be refreshed. Reads local state only.",
                "Exit 0 even when not logged in (logged_in: false); warns when the token or session is close to expiry."})
@Outcomes(data = "logged_in, credential_source, url, agent_id, client_id, session_id, task_id, scopes, tier, "
        + "expires_at, expires_in_s, expired, refreshable, refresh_after, session_expires_at, session_expires_in_s",
        errors = {ErrorCode.PRECONDITION})
public final class StatusCommand extends CliCommand {
    /** Warn when a token has less than this left. */
    static final Duration TOKEN_SOON = Duration.ofSeconds(60);
    /** Warn when a session has less than this left: a new login takes a human or a secret. */
    static final Duration SESSION_SOON = Duration.ofMinutes(5);

    @Mixin
    BrokerOptions broker;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        Instant now = ctx.now();
        CredentialSource source;
        try {
            source = Credentials.resolveLocally(ctx, url);
        } catch (MayflyException e) {
            if (e.code() != ErrorCode.CREDENTIALS_MISSING) {
                throw e;
            }
            out.warn("Not logged in to " + url + "; run 'mayfly auth login' or set MAYFLY_TOKEN.");
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("logged_in", false);
            data.put("credential_source", null);
            data.put("url", url);
            return out.ok(data, p -> p.println("Not logged in to " + url + "."));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("logged_in", true);
        data.put("credential_source", source.kind());
        if (source instanceof CachedSessionSource cached) {
            CachedSession s = cached.session();
            data.putAll(SessionView.of(s, now));
            data.put("task_id", null);
            data.put("expired", s.expired(now));
            data.put("refreshable", s.refreshToken() != null && !s.sessionOver(now));
            warnForSession(s, now, out);
        } else {
            AccessToken t = source.token(out);
            data.put("url", url);
            data.putAll(TokenView.of(t, now));
            boolean refreshable = "exec".equals(source.kind());
            data.put("refreshable", refreshable);
            if (!refreshable) {
                warnForFixedToken(t, now, out);
            }
        }
        return out.ok(data, p -> data.forEach((k, v) -> p.printf("%-22s %s%n", k, v)));
    }

    private static void warnForSession(CachedSession s, Instant now, Output out) {
        if (s.sessionOver(now)) {
            out.warn("Session " + s.sessionId() + " ended at " + s.sessionExpiresAt() + "; run 'mayfly auth login'.");
            return;
        }
        Duration sessionLeft = Duration.between(now, s.sessionExpiresAt());
        if (s.expired(now)) {
            out.warn("Access token expired at " + s.expiresAt() + "; the next command refreshes it automatically "
                    + "(or run 'mayfly auth refresh').");
        } else if (s.remaining(now).compareTo(TOKEN_SOON) < 0) {
            out.warn("Access token expires in " + Durations.format(s.remaining(now)) + " (at " + s.expiresAt()
                    + "); commands refresh it automatically.");
        }
        if (sessionLeft.compareTo(SESSION_SOON) < 0) {
            out.warn("Session " + s.sessionId() + " ends in " + Durations.format(sessionLeft) + " (at "
                    + s.sessionExpiresAt() + "); after that only 'mayfly auth login' recovers.");
        }
    }

    private static void warnForFixedToken(AccessToken t, Instant now, Output out) {
        if (t.expiresAt() == null) {
            return;
        }
        String hint = ReissueHint.forToken(t.claims().orElse(null));
        if (t.isExpired(now)) {
            out.warn("MAYFLY_TOKEN expired at " + t.expiresAt() + " and cannot be refreshed; get a new one: " + hint);
        } else if (Duration.between(now, t.expiresAt()).compareTo(TOKEN_SOON) < 0) {
            out.warn("MAYFLY_TOKEN expires in " + Durations.format(Duration.between(now, t.expiresAt()))
                    + " and cannot be refreshed; get a new one in time: " + hint);
        }
    }
}

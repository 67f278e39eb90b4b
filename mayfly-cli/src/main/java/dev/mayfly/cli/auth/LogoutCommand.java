package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CacheLock;
import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CredentialCache;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code mayfly auth logout}: end the session at the broker, then forget it. Idempotent. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {"End the cached session at the broker (revoking its refresh token ends every token of it) "
                + "and remove it from the cache.",
                "Idempotent: without a session it reports effect 'noop'. If the broker cannot be reached the cache "
                        + "is kept, so the logout can be retried."})
@Outcomes(data = "effect (deleted|noop), url, session_id",
        errors = {ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.PRECONDITION})
public final class LogoutCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        CredentialCache cache = new CredentialCache(ctx.home());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", url);
        try (CacheLock lock = cache.lock()) {
            Optional<CachedSession> s = cache.read(url);
            if (s.isEmpty()) {
                data.put("effect", "noop");
                data.put("session_id", null);
                return out.ok(data, p -> p.println("Not logged in to " + url + "; nothing to do."));
            }
            if (s.get().refreshToken() != null) {
                // Revoking the refresh token ends the whole session at the broker (RFC 7009, docs/api.md).
                ctx.oauth(url).revoke(s.get().refreshToken());
            }
            cache.remove(lock, url);
            data.put("effect", "deleted");
            data.put("session_id", s.get().sessionId());
        }
        return out.ok(data, p -> p.println("Logged out of " + url + "; session " + data.get("session_id") + " ended."));
    }
}

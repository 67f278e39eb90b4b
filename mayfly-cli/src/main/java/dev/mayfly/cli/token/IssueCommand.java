package dev.mayfly.cli.token;

import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.auth.Credentials;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly token issue}: a task token from the current session. */
@Command(name = "issue", mixinStandardHelpOptions = true,
        description = {"Exchange the session's token for a task token (RFC 8693): narrower scopes, an audience, a task id, "
                + "a shorter life. The token is in data.access_token; nothing else ever prints one.",
                "Use: export MAYFLY_TOKEN=$(mayfly token issue --scope S | jq -r .data.access_token)"})
@Outcomes(data = "access_token, token_type, expires_at, expires_in, task_id, scopes, audience, tier, jti, session_id",
        authenticated = true)
public final class IssueCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @Option(names = "--scope", paramLabel = "SCOPE", split = ",", required = true,
            description = "Scopes of the task token (repeatable; a subset of the session's).")
    List<String> scopes;

    @Option(names = "--audience", paramLabel = "AUDIENCE",
            description = "Where the token will be used (repeatable; default: the broker itself).")
    List<String> audiences;

    @Option(names = "--task", paramLabel = "ID", description = "Task id (default: generated, tsk_...).")
    String taskId;

    @Option(names = "--ttl", paramLabel = "DURATION", description = "Ask for a shorter lifetime (e.g. 90s, 5m).")
    String ttl;

    @Override
    protected int execute(Output out) {
        CliContext ctx = context();
        String url = ctx.brokerUrl(broker.url);
        TaskTokens tasks = new TaskTokens(Credentials.resolve(ctx, url, refresh.autoRefresh()),
                ctx.oauth(url));
        TokenResponse g = tasks.issue(new TaskTokens.Request(scopes, audiences, taskId, DurationOption.seconds(ttl, "--ttl")), out);
        Instant now = ctx.now();
        AccessToken t = AccessToken.of(g.accessToken());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("access_token", g.accessToken().reveal());
        data.put("token_type", g.tokenType() == null ? "Bearer" : g.tokenType()); // DPoP after 'auth login --dpop'
        Instant exp = t.expiresAt() != null ? t.expiresAt() : now.plus(g.expiresIn());
        data.put("expires_at", exp.toString());
        data.put("expires_in", g.expiresIn().getSeconds());
        data.put("task_id", g.taskId());
        data.put("scopes", g.scopes());
        data.put("audience", g.audiences());
        data.put("tier", g.tier());
        data.put("jti", t.claims().map(c -> c.jti()).orElse(null));
        data.put("session_id", g.sessionId());
        return out.ok(data, p -> {
            p.println(g.accessToken().reveal());
            out.err().printf("mayfly: task %s, expires %s, scopes %s%n", g.taskId(), exp, String.join(" ", g.scopes()));
        });
    }
}

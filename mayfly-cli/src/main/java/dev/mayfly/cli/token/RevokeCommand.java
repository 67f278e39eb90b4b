package dev.mayfly.cli.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.cli.agent.AdminCredentials;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.cli.auth.Credentials;
import dev.mayfly.client.V1Api;
import dev.mayfly.cli.context.BrokerOptions;
import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.RefreshOptions;
import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code mayfly token revoke}: revoke by jti, session, task or agent ({@code POST /v1/revocations}). */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Revoke one token (--jti), a session and all its tokens (--session), a task (--task: no token "
                + "is ever issued for it again) or an agent (--agent: disables it).",
                "Task ids are scoped to their agent: --task is the caller's own task unless --task-agent names another's.",
                "Without --admin, with the current credential (the cached session will do): anyone may revoke their own "
                        + "tokens, sessions, tasks or agent; revoking others' needs scope mayfly:revoke or mayfly:admin."})
@Outcomes(data = "the revocation: seq, kind, target, agent_id, reason, revoked_at, covers_until", authenticated = true,
        errors = {dev.mayfly.core.error.ErrorCode.PRECONDITION})
public final class RevokeCommand extends CliCommand {
    @Mixin
    BrokerOptions broker;

    @Mixin
    RefreshOptions refresh;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--jti", paramLabel = "JTI", description = "One access token, by its jti.")
        String jti;
        @Option(names = "--session", paramLabel = "SESSION_ID", description = "A session and every token of it.")
        String session;
        @Option(names = "--task", paramLabel = "TASK_ID", description = "A task and every token of it.")
        String task;
        @Option(names = "--agent", paramLabel = "AGENT_ID", description = "An agent: disables it, ends all its sessions.")
        String agent;
    }

    @Option(names = "--task-agent", paramLabel = "AGENT_ID",
            description = "With --task: the agent whose task it is (default: the caller's own).")
    String taskAgent;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (recorded in the revocation and the audit trail).")
    String reason;

    @Option(names = "--admin", description = "Use the admin credentials in $MAYFLY_HOME/admin.json.")
    boolean admin;

    @Override
    protected int execute(Output out) throws Exception {
        CliContext ctx = context();
        if (taskAgent != null && target.task == null) {
            throw new MayflyException(ErrorCode.USAGE, "--task-agent names whose task --task is; give --task with it.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        if (target.jti != null) {
            body.put("jti", target.jti);
        } else if (target.session != null) {
            body.put("session_id", target.session);
        } else if (target.task != null) {
            body.put("task_id", target.task);
            if (taskAgent != null) {
                body.put("agent_id", taskAgent);
            }
        } else {
            body.put("agent_id", target.agent);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        if (admin) {
            AdminCredentials creds = AdminCredentials.require(ctx);
            String url = ctx.brokerUrl(broker.url, creds.url());
            try (var source = creds.source(ctx, url)) {
                return print(out, call(source, out, ctx.v1(url), body));
            }
        }
        String url = ctx.brokerUrl(broker.url);
        return print(out, call(Credentials.resolve(ctx, url, refresh.autoRefresh()), out, ctx.v1(url), body));
    }

    private static JsonNode call(CredentialSource source, Output out, V1Api v1, Map<String, Object> body) {
        return AuthenticatedCall.run(source, out, t -> v1.post("/v1/revocations", t.value(), body));
    }

    private static int print(Output out, JsonNode data) {
        return out.ok(data, p -> p.printf("Revoked %s %s (seq %s)%n", data.path("kind").asText(),
                data.path("target").asText(), data.path("seq").asText()));
    }
}

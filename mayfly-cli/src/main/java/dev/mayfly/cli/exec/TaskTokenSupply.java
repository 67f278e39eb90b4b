package dev.mayfly.cli.exec;

import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.TaskTokens;
import dev.mayfly.client.RefreshPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The task tokens of one {@code mayfly exec}: minted on demand, a new one whenever the current one is past
 * the broker's {@code refresh_after}, all for the same task id. Every token minted is reported to
 * {@code issued} (the {@link ExecCommand} revokes them all when the child exits). Thread-safe (the endpoint
 * serves from its own thread).
 *
 * <p>Not yet mayfly-client's {@code TokenSource} task renewal, which would change behaviour: there the exec
 * session would be a {@code SessionStore} over the {@code CredentialSource}, and (1) a session token the broker
 * rejects before the CLI thinks it due would not be refreshed and replayed once, as {@code AuthenticatedCall}
 * does, since the store cannot tell why it is read; (2) a permanent failure would stick for the rest of the
 * run, where each endpoint request tries again today; (3) the CLI could not tell a failure of the session
 * (explained without the token) from a failure of the exchange (explained with it); (4) {@code TokenRequest}
 * refuses a bad scope or task id before the broker sees it, with a different message. The SDK side of
 * {@code MAYFLY_TOKEN} (no refresh token: the broker's {@code CREDENTIALS_EXPIRED} stands) is done.
 */
final class TaskTokenSupply {
    private final TaskTokens tasks;
    private final Clock clock;
    private final Output out;
    private TaskTokens.Request request;
    private final Consumer<AccessToken> issued;
    private TokenResponse current;
    private AccessToken currentToken;
    private Instant renewAt;

    TaskTokenSupply(TaskTokens tasks, TaskTokens.Request request, Clock clock, Output out, Consumer<AccessToken> issued) {
        this.tasks = tasks;
        this.request = request;
        this.clock = clock;
        this.out = out;
        this.issued = issued;
    }

    /** The token to hand out now; a new one when the current is due or {@code forceRenew}. */
    synchronized AccessToken current(boolean forceRenew) {
        Instant now = clock.instant();
        if (current == null || forceRenew || !now.isBefore(renewAt)) {
            mint(now);
        }
        return currentToken;
    }

    private void mint(Instant now) {
        TokenResponse g = tasks.issue(request, out);
        current = g;
        currentToken = AccessToken.of(g.accessToken(), now.plus(g.expiresIn()));
        issued.accept(currentToken);
        renewAt = RefreshPolicy.defaults().refreshAt(now, g, ThreadLocalRandom.current());
        // Every later token is for the same task, so the audit trail and a task revocation cover them all.
        request = new TaskTokens.Request(request.scopes(), request.audiences(), g.taskId(), request.ttlSeconds());
    }

    synchronized String taskId() {
        return current == null ? request.taskId() : current.taskId();
    }

    /** The JSON the credential endpoint serves for a token (the token itself is the point of the endpoint). */
    synchronized Map<String, Object> describe(AccessToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("access_token", t.value().reveal());
        m.put("token_type", "Bearer");
        m.put("expires_at", t.expiresAt() == null ? null : t.expiresAt().toString());
        m.put("expires_in", t.expiresAt() == null ? null
                : Math.max(0, Duration.between(clock.instant(), t.expiresAt()).getSeconds()));
        m.put("task_id", current.taskId());
        m.put("scope", String.join(" ", current.scopes()));
        m.put("audience", current.audiences());
        m.put("jti", t.claims().map(c -> c.jti()).orElse(null));
        return m;
    }
}

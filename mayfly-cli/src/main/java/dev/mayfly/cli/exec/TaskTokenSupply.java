package dev.mayfly.cli.exec;

import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.TaskTokens;
import dev.mayfly.client.RefreshPolicy;
import dev.mayfly.core.error.MayflyException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The task tokens of one {@code mayfly exec}: minted on demand, a new one whenever the current one is past
 * the broker's {@code refresh_after}, all for the same task id, and every one remembered so all can be
 * revoked when the child exits. Thread-safe (the endpoint serves from its own thread).
 */
final class TaskTokenSupply {
    private final TaskTokens tasks;
    private final Clock clock;
    private final Output out;
    private TaskTokens.Request request;
    private final List<AccessToken> minted = new ArrayList<>();
    private TokenResponse current;
    private AccessToken currentToken;
    private Instant renewAt;

    TaskTokenSupply(TaskTokens tasks, TaskTokens.Request request, Clock clock, Output out) {
        this.tasks = tasks;
        this.request = request;
        this.clock = clock;
        this.out = out;
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
        minted.add(currentToken);
        renewAt = now.plus(RefreshPolicy.defaults().refreshDelay(g.expiresIn(), g.refreshAfter(),
                ThreadLocalRandom.current()));
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
                : Math.max(0, java.time.Duration.between(clock.instant(), t.expiresAt()).getSeconds()));
        m.put("task_id", current.taskId());
        m.put("scope", String.join(" ", current.scopes()));
        m.put("audience", current.audiences());
        m.put("jti", t.claims().map(c -> c.jti()).orElse(null));
        return m;
    }

    /** Revokes every token handed out (RFC 7009: possession is enough, so no session is needed); returns failures. */
    synchronized List<String> revokeAll(OAuthClient tokens) {
        List<String> failures = new ArrayList<>();
        for (AccessToken t : minted) {
            try {
                tokens.revoke(t.value());
            } catch (MayflyException e) {
                failures.add(t.claims().map(c -> "jti " + c.jti()).orElse("a task token") + ": " + e.code());
            }
        }
        return failures;
    }
}

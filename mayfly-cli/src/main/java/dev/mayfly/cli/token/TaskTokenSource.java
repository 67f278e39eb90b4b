package dev.mayfly.cli.token;

import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.output.Output;
import dev.mayfly.core.error.MayflyError;
import java.util.Optional;

/**
 * A task token minted for this invocation from another source's session (for {@code mayfly http --audience}):
 * renewing means minting another; recovery advice is the session's.
 */
public final class TaskTokenSource implements CredentialSource {
    private final CredentialSource session;
    private final TaskTokens tasks;
    private final TaskTokens.Request request;
    private AccessToken current;

    public TaskTokenSource(CredentialSource session, TaskTokens tasks, TaskTokens.Request request) {
        this.session = session;
        this.tasks = tasks;
        this.request = request;
    }

    @Override
    public String kind() {
        return session.kind();
    }

    @Override
    public synchronized AccessToken token(Output out) {
        if (current == null) {
            current = mint(out);
        }
        return current;
    }

    @Override
    public synchronized Optional<AccessToken> renew(AccessToken rejected, Output out) {
        current = mint(out);
        out.warn("The server said the task token had expired; minted a new one and retried once.");
        return Optional.of(current);
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        return session.explain(error, used);
    }

    private AccessToken mint(Output out) {
        TokenResponse g = tasks.issue(request, out);
        return AccessToken.of(g.accessToken());
    }
}

package dev.mayfly.cli.token;

import java.time.Duration;
import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.output.Output;
import java.util.List;

/**
 * Task tokens: the session's access token exchanged (RFC 8693) for a narrower, shorter-lived one for one
 * task and audience. The session token is the credential, so an expired one is renewed once like any call.
 */
public final class TaskTokens {
    private final CredentialSource session;
    private final OAuthClient tokens;

    /** What to ask for; {@code null} fields are left to the broker (all session scopes, the broker as audience). */
    public record Request(List<String> scopes, List<String> audiences, String taskId, Long ttlSeconds) {
    }

    public TaskTokens(CredentialSource session, OAuthClient tokens) {
        this.session = session;
        this.tokens = tokens;
    }

    public TokenResponse issue(Request r, Output out) {
        return AuthenticatedCall.run(session, out,
                t -> tokens.exchange(t.value(), r.scopes(), r.audiences(), r.taskId(),
                        r.ttlSeconds() == null ? null : Duration.ofSeconds(r.ttlSeconds())));
    }
}

package dev.mayfly.cli.exec;

import dev.mayfly.cli.auth.AuthenticatedCall;
import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.client.AccessToken;
import dev.mayfly.client.TokenRequest;
import dev.mayfly.client.TokenSource;
import dev.mayfly.core.error.MayflyException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task tokens one {@code mayfly exec} hands its child. Minting and renewing them is the client library's
 * {@link TokenSource} (the current token until it is past the broker's {@code refresh_after}, then a new one;
 * a session token the broker rejects is renewed and the exchange retried); what is exec's own is the record of
 * every token handed out, all revoked when the child exits, and the explanation a failure gets for the
 * session's credential source. Every token is for the one task id in the request, so the audit trail and a
 * task revocation cover them all. Thread-safe (the endpoint serves from its own thread).
 */
final class ChildTokens implements AutoCloseable {
    private final TokenSource tokens;
    private final TokenRequest request;
    private final CredentialSource session;
    private final Map<String, AccessToken> handedOut = new LinkedHashMap<>(); // by token value: each token once
    private AccessToken last;

    ChildTokens(TokenSource tokens, TokenRequest request, CredentialSource session) {
        this.tokens = tokens;
        this.request = request;
        this.session = session;
    }

    /** The token to hand out now: the current one while it is not due, else a new one; a new one if {@code renew}. */
    AccessToken current(boolean renew) {
        AccessToken t;
        try {
            AccessToken held;
            synchronized (this) {
                held = last;
            }
            t = renew && held != null ? tokens.refresh(held) : tokens.token(request);
        } catch (MayflyException e) {
            throw AuthenticatedCall.explained(session, e, sessionToken());
        }
        synchronized (this) {
            last = t;
            handedOut.putIfAbsent(t.value().reveal(), t);
        }
        return t;
    }

    /**
     * The session token the exchange presented, for the credential source's explanation of a failure (what
     * {@code MAYFLY_TOKEN}'s advice is built from); null when even that cannot be had.
     */
    private AccessToken sessionToken() {
        try {
            return tokens.sessionToken();
        } catch (MayflyException e) {
            return null;
        }
    }

    String taskId() {
        return request.taskId().orElseThrow();
    }

    /** Every token handed out so far, oldest first. */
    synchronized List<AccessToken> handedOut() {
        return new ArrayList<>(handedOut.values());
    }

    @Override
    public void close() {
        tokens.close();
    }
}

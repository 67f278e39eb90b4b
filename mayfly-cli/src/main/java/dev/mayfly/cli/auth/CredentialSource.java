package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.client.TokenSource;
import dev.mayfly.core.error.MayflyError;
import java.util.Optional;

/**
 * Where the access token for a call comes from, and what that source can do when the token runs out.
 * Each source knows the recovery that really works for it, so an auth error leaves the CLI with the
 * {@code reauth_command} that fits the situation rather than a generic one.
 */
public interface CredentialSource extends AutoCloseable {
    /** {@code cache}, {@code MAYFLY_TOKEN}, {@code exec} or {@code admin}: reported as {@code credential_source}. */
    String kind();

    /** The token to present now; a source that can refresh does so when the token is due. */
    AccessToken token(Output out);

    /** A fresh token after the server said {@code rejected} had expired; empty when this source cannot renew. */
    Optional<AccessToken> renew(AccessToken rejected, Output out);

    /** The error with the {@code reauth_command} (and {@code expired_at}) that recovers for this source. */
    MayflyError explain(MayflyError error, AccessToken used);

    /**
     * The client library's token source with this source's session, for task tokens exchanged from it
     * ({@code mayfly exec}): one that renews the session where this source would, and otherwise presents the
     * current token until the broker rejects it.
     */
    default TokenSource taskTokens(CliContext ctx, String url, Output out) {
        return ctx.sessionTokens(url, new BareSessionStore(token(out), ctx.clock().instant()));
    }

    /** Ends anything this source started only for this invocation (the admin's short session). */
    @Override
    default void close() {
    }
}

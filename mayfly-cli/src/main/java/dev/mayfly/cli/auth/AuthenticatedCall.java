package dev.mayfly.cli.auth;

import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one call with a token from a {@link CredentialSource}. When the server answers
 * {@code CREDENTIALS_EXPIRED} and the source can renew, renews once and replays once; every other auth
 * failure (revoked, invalid, missing, denied) is final and never retried. Whatever fails leaves with the
 * source's recovery advice and a {@code credential_source} detail.
 */
public final class AuthenticatedCall {
    private AuthenticatedCall() {
    }

    public static <T> T run(CredentialSource source, Output out, Function<AccessToken, T> call) {
        AccessToken token;
        try {
            token = source.token(out);
        } catch (MayflyException e) {
            throw explained(source, e, null);
        }
        try {
            return call.apply(token);
        } catch (MayflyException e) {
            if (e.code() != ErrorCode.CREDENTIALS_EXPIRED) {
                throw explained(source, e, token);
            }
            Optional<AccessToken> fresh;
            try {
                fresh = source.renew(token, out);
            } catch (MayflyException renewal) {
                throw explained(source, renewal, token);
            }
            if (fresh.isEmpty()) {
                throw explained(source, e, token);
            }
            try {
                return call.apply(fresh.get());
            } catch (MayflyException again) {
                throw explained(source, again, fresh.get());
            }
        }
    }

    public static MayflyException explained(CredentialSource source, MayflyException e, AccessToken used) {
        if (!e.code().isAuth()) {
            return e;
        }
        var error = used == null ? e.error() : source.explain(e.error(), used);
        if (!error.details().containsKey("credential_source")) {
            error = error.toBuilder().detail("credential_source", source.kind()).build();
        }
        return new MayflyException(error, e);
    }
}

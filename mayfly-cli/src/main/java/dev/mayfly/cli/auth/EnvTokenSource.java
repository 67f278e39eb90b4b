package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.ReissueHint;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.secret.Secret;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code MAYFLY_TOKEN}: a token the caller chose, used as given. The CLI never refreshes it (it holds no
 * refresh token for it, and silently switching identity would surprise the caller). So when it expires (or
 * only it was revoked) no command can recover in place: whatever a {@code reauth_command} did, the retried
 * command would read the same stale variable again. The error therefore carries {@code reauth_command:
 * null}, {@code reauth_env_var: MAYFLY_TOKEN} (the CLI Agent Spec §53 workaround: "if only reauth_env_var
 * is given, tell the user to re-set it") and {@code fix_required}, which says how to mint a replacement with
 * the variable out of the way ({@code env -u MAYFLY_TOKEN mayfly token issue ...}).
 */
final class EnvTokenSource implements CredentialSource {
    private final AccessToken token;
    private final Clock clock;

    EnvTokenSource(Secret token, Clock clock) {
        this.token = AccessToken.of(token);
        this.clock = clock;
    }

    @Override
    public String kind() {
        return Variables.TOKEN;
    }

    @Override
    public AccessToken token(Output out) {
        return token;
    }

    @Override
    public Optional<AccessToken> renew(AccessToken rejected, Output out) {
        return Optional.empty();
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        boolean expired = error.code() == ErrorCode.CREDENTIALS_EXPIRED;
        boolean tokenOnlyRevoked = error.code() == ErrorCode.CREDENTIALS_REVOKED
                && CachedSessionSource.REFRESH.equals(error.reauthCommand());
        if (!expired && !tokenOnlyRevoked) {
            return error;
        }
        String reissue = "env -u " + Variables.TOKEN + " " + ReissueHint.forToken(used.claims().orElse(null));
        MayflyError.Builder b = error.toBuilder()
                .reauthCommand(null)
                .detail("fix_required", Variables.TOKEN + " holds a token mayfly does not renew; set it to a new one, "
                        + "e.g. export " + Variables.TOKEN + "=$(" + reissue + " | jq -r .data.access_token), or unset it "
                        + "to use the cached session.");
        return UsedTokenExpiry.fill(b.build(), used, clock);
    }
}

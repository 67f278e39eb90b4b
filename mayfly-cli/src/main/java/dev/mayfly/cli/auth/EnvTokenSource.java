package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.cli.token.ReissueHint;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.secret.Secret;
import java.util.Optional;

/**
 * {@code MAYFLY_TOKEN}: a token the caller chose, used as given. The CLI never refreshes it (it holds no
 * refresh token for it, and silently switching identity would surprise the caller), so on expiry the
 * recovery is to mint an equivalent token ({@code mayfly token issue ...}) and put it in the variable.
 */
final class EnvTokenSource implements CredentialSource {
    private final AccessToken token;

    EnvTokenSource(Secret token) {
        this.token = AccessToken.of(token);
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
        // 'mayfly auth refresh' renews the cache, which MAYFLY_TOKEN overrides: it would not help here.
        MayflyError.Builder b = error.toBuilder().reauthCommand(ReissueHint.forToken(used.claims().orElse(null)));
        if (expired && error.expiredAt() == null) {
            b.expiredAt(used.expiresAt());
        }
        return b.build();
    }
}

package dev.mayfly.cli.agent;

import dev.mayfly.cli.auth.CredentialSource;
import dev.mayfly.client.OAuthClient;
import dev.mayfly.client.TokenResponse;
import dev.mayfly.cli.output.Output;
import dev.mayfly.client.AccessToken;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admin, for one invocation: admin tokens are critical tier and live two minutes, so nothing is cached;
 * each invocation logs in with the admin's client credentials, renews by logging in again, and ends its
 * sessions when it closes so admin sessions do not pile up at the broker.
 */
public final class AdminSource implements CredentialSource {
    private final AdminCredentials credentials;
    private final OAuthClient tokens;
    private final Clock clock;
    private final List<Secret> sessionsToEnd = new ArrayList<>();
    private AccessToken current;

    AdminSource(AdminCredentials credentials, OAuthClient tokens, Clock clock) {
        this.credentials = credentials;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "admin";
    }

    @Override
    public synchronized AccessToken token(Output out) {
        if (current == null || current.isExpired(clock.instant())) {
            current = login();
        }
        return current;
    }

    @Override
    public synchronized Optional<AccessToken> renew(AccessToken rejected, Output out) {
        current = login();
        return Optional.of(current);
    }

    @Override
    public MayflyError explain(MayflyError error, AccessToken used) {
        return error;
    }

    private AccessToken login() {
        TokenResponse g = tokens.login(credentials.clientId(), credentials.clientSecret(), null, null);
        if (g.refreshToken() != null) {
            sessionsToEnd.add(g.refreshToken());
        }
        return AccessToken.of(g.accessToken(), clock.instant().plus(g.expiresIn()));
    }

    @Override
    public synchronized void close() {
        for (Secret refreshToken : sessionsToEnd) {
            try {
                tokens.revoke(refreshToken);
            } catch (MayflyException e) {
                // Best effort: the session lapses on its own; the command's result stands.
            }
        }
        sessionsToEnd.clear();
    }
}

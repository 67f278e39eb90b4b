package dev.mayfly.cli.token;

import dev.mayfly.client.UnverifiedJwt;
import dev.mayfly.core.secret.Secret;
import java.time.Instant;
import java.util.Optional;

/**
 * An access token about to be presented, with what it says about itself (unverified, see {@link UnverifiedJwt})
 * and when it expires as far as the CLI knows. {@code toString} never shows the token.
 */
public record AccessToken(Secret value, Instant expiresAt, UnverifiedJwt claims) {
    public static AccessToken of(Secret value) {
        Optional<UnverifiedJwt> peek = UnverifiedJwt.read(value.reveal());
        return new AccessToken(value, peek.map(UnverifiedJwt::expiresAt).orElse(null), peek.orElse(null));
    }

    public static AccessToken of(Secret value, Instant expiresAt) {
        AccessToken t = of(value);
        return new AccessToken(value, expiresAt != null ? expiresAt : t.expiresAt, t.claims);
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** The hash that identifies this token in the cache without keeping or comparing the token itself. */
    public String fingerprint() {
        return value.sha256Hex();
    }
}

package dev.mayfly.core.revocation;

import dev.mayfly.core.token.AccessTokenClaims;
import java.util.Optional;

/**
 * Answers whether an authentic token has been revoked, by its {@code jti}, session, task or agent. The
 * broker answers from its own store; a remote resource server from the revocation feed.
 * Implementations must be thread-safe and fast: this is called on every verification.
 */
@FunctionalInterface
public interface RevocationSource {
    /** Never revokes anything. */
    RevocationSource NONE = claims -> Optional.empty();

    /** The revocation that covers this token, if any (the broadest granularity when several do). */
    Optional<Revocation> find(AccessTokenClaims claims);
}

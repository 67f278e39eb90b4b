package dev.mayfly.server.oauth;

import dev.mayfly.core.policy.TtlPolicy;
import java.time.Clock;

/**
 * What every grant needs to issue a token: the policy that decides its lifetime, the minter that signs it,
 * and the clock both are read against.
 */
public record Issuance(AccessTokenMinter minter, TtlPolicy policy, Clock clock) {
}

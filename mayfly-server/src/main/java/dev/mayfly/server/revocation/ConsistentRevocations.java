package dev.mayfly.server.revocation;

import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationSet;
import dev.mayfly.core.revocation.RevocationSource;
import dev.mayfly.core.token.AccessTokenClaims;
import java.util.Optional;

/**
 * The revocations the broker's own checks consult when several nodes share one database (whoami,
 * introspection, the exchange's subject token, every {@code /v1} bearer): before answering from this node's
 * in-memory set, it asks the database whether any revocation was committed after the last one this node
 * applied ({@link RevocationSync#catchUp}: one query on the primary key, no rows in the usual case) and applies
 * it first. A revocation is committed before any node acknowledges it, so a check that starts after the
 * acknowledgement sees it on every node, whatever the LISTEN/NOTIFY wake-up is doing. A node that cannot read
 * the database fails closed: the catch-up throws, and the verifier answers {@code UNAVAILABLE}.
 * Thread-safe.
 */
public final class ConsistentRevocations implements RevocationSource {
    private final RevocationSet set;
    private final RevocationSync sync;

    public ConsistentRevocations(RevocationSet set, RevocationSync sync) {
        this.set = set;
        this.sync = sync;
    }

    @Override
    public Optional<Revocation> find(AccessTokenClaims claims) {
        sync.catchUp();
        return set.find(claims);
    }
}

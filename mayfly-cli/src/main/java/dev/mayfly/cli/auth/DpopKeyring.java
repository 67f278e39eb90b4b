package dev.mayfly.cli.auth;

import dev.mayfly.cli.cache.CachedSession;
import dev.mayfly.cli.cache.CredentialCache;
import dev.mayfly.client.DpopKey;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The DPoP keys of the sessions in the credential cache ({@code mayfly auth login --dpop}): the one of a broker
 * URL's session (to sign token requests), or the one a bound token names by its {@code cnf.jkt} (to present that
 * token, wherever it came from: the cache, {@code MAYFLY_TOKEN}, an enclosing {@code mayfly exec}). Keys never
 * leave the 0600 cache except as proofs.
 */
public final class DpopKeyring {
    private final CredentialCache cache;

    public DpopKeyring(Path home) {
        this.cache = new CredentialCache(home);
    }

    /** The key of the session cached for {@code url}, if it was logged in with {@code --dpop}. */
    public Optional<DpopKey> forUrl(String url) {
        return cache.read(url).flatMap(DpopKeyring::keyOf);
    }

    /** The cached key whose RFC 7638 thumbprint is {@code jkt}. */
    public Optional<DpopKey> forThumbprint(String jkt) {
        return cache.readAllSessions().stream().map(DpopKeyring::keyOf).flatMap(Optional::stream)
                .filter(k -> k.thumbprint().equals(jkt)).findFirst();
    }

    private static Optional<DpopKey> keyOf(CachedSession s) {
        if (s.dpopKey() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(DpopKey.fromPrivateJwk(s.dpopKey()));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a damaged key: the broker will refuse the token, naming the missing proof
        }
    }
}

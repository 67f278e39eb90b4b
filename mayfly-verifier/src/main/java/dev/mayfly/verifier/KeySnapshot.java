package dev.mayfly.verifier;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signing keys of one JWKS fetch, by {@code kid}, and when they were fetched. Only public signature keys
 * are kept (RFC 7517 §4.2, §5): private parts are dropped, symmetric keys, encryption keys and keys without
 * a {@code kid} are ignored, and of two keys with one {@code kid} the first wins. Immutable.
 */
record KeySnapshot(Map<String, JWK> keys, Instant fetchedAt) {
    KeySnapshot {
        keys = Map.copyOf(keys);
    }

    static KeySnapshot of(JWKSet set, Instant fetchedAt) {
        Map<String, JWK> byKid = new LinkedHashMap<>();
        for (JWK key : set.toPublicJWKSet().getKeys()) {
            boolean signing = key.getKeyUse() == null || KeyUse.SIGNATURE.equals(key.getKeyUse());
            if (signing && key.getKeyID() != null && !key.isPrivate()) {
                byKid.putIfAbsent(key.getKeyID(), key);
            }
        }
        return new KeySnapshot(byKid, fetchedAt);
    }

    JWK find(String kid) {
        return keys.get(kid);
    }
}

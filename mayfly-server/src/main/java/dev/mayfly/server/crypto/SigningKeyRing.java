package dev.mayfly.server.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mayfly.core.token.ClaimNames;
import dev.mayfly.server.store.Database;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's signing keys: the active private key that signs access tokens, and the public set served
 * at {@code /jwks.json}. Loaded from the database (decrypted with the master key); on first start a key of
 * the configured algorithm is generated and stored. Thread-safe: immutable after {@link #load}.
 */
public final class SigningKeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRing.class);

    private final JWK active;
    private final JWSSigner signer;
    private final JWSHeader header;
    private final JWKSet publicKeys;

    private SigningKeyRing(JWK active, List<JWK> all) throws JOSEException {
        this.active = active;
        this.signer = SigningAlgorithm.of(active).signer(active);
        this.header = new JWSHeader.Builder(SigningAlgorithm.of(active).jws())
                .type(new JOSEObjectType(ClaimNames.TYPE))
                .keyID(active.getKeyID())
                .build();
        List<JWK> publics = new ArrayList<>();
        for (JWK k : all) {
            publics.add(k.toPublicJWK());
        }
        this.publicKeys = new JWKSet(publics);
    }

    /** Loads the keys, generating and storing the first key of {@code algorithm} when there is none. */
    public static SigningKeyRing load(Database db, MasterKey masterKey, SigningAlgorithm algorithm, Clock clock) {
        SigningKeyStore store = new SigningKeyStore();
        return db.inTransaction(c -> {
            List<JWK> keys = new ArrayList<>();
            JWK active = null;
            for (SigningKeyStore.Row row : store.unretired(c)) {
                JWK key = parse(masterKey.decrypt(row.privateJwkEncrypted(), row.kid()));
                keys.add(key);
                if (SigningAlgorithm.of(key) == algorithm) {
                    active = key; // newest of the wanted algorithm wins (rows come oldest first)
                }
            }
            try {
                if (active == null) {
                    active = algorithm.generate();
                    store.insert(c, new SigningKeyStore.Row(active.getKeyID(), algorithm.jws().getName(),
                            active.toPublicJWK().toJSONString(),
                            masterKey.encrypt(active.toJSONString(), active.getKeyID()), clock.instant()));
                    keys.add(active);
                    LOG.info("Generated a new {} signing key, kid {}", algorithm.jws().getName(), active.getKeyID());
                }
                return new SigningKeyRing(active, keys);
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot create a signing key", e);
            }
        });
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is not a JWK", e);
        }
    }

    /** Signs claims as an RFC 9068 access token ({@code typ: at+jwt}, {@code kid} of the active key). */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    public JWKSet publicKeys() {
        return publicKeys;
    }

    public String activeKeyId() {
        return active.getKeyID();
    }

    public String algorithm() {
        return SigningAlgorithm.of(active).jws().getName();
    }
}

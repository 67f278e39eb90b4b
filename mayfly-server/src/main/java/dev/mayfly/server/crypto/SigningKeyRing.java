package dev.mayfly.server.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64URL;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.token.ClaimNames;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.Dialect;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's signing keys, shared by every node through the database (private halves encrypted with the
 * master key). A key is published in the JWKS from its creation, signs from its {@code activate_at}, and
 * is withdrawn at its {@code retired_at}. Rotation publishes the next key ahead of signing with it (so
 * verifiers have it before the first token it signs) and keeps the old one until its last token expired.
 * Every node reloads the ring periodically, so all nodes publish the same set and switch keys together.
 * Thread-safe: readers see one immutable snapshot.
 */
public final class SigningKeyRing {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRing.class);

    /** How often every node reloads the ring from the database. */
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(5);

    /**
     * The shortest publish-ahead a rotation accepts: twice {@link #RELOAD_INTERVAL}. A node that reloaded just
     * before the rotation learns of the next key up to one interval (plus the reload itself) later; until it
     * has, it refuses tokens the other nodes already sign with that key. Twice the interval leaves room for a
     * slow reload, and the JWKS of every node lists the key before any node signs with it.
     */
    public static final Duration MIN_PUBLISH_AHEAD = RELOAD_INTERVAL.multipliedBy(2);

    private final Database db;
    private final MasterKey masterKey;
    private final SigningAlgorithm algorithm;
    private final Clock clock;
    private final SigningKeyStore store = new SigningKeyStore();
    private final Map<String, JWK> decrypted = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicReference<Snapshot> current = new AtomicReference<>();

    /** One consistent view: the key that signs now and the public keys to publish. */
    private record Snapshot(JWK active, JWSSigner signer, JWSHeader header, String headerBase64, String publicKeysJson,
                            List<SigningKeyStore.Row> rows) {
    }

    private SigningKeyRing(Database db, MasterKey masterKey, SigningAlgorithm algorithm, Clock clock) {
        this.db = db;
        this.masterKey = masterKey;
        this.algorithm = algorithm;
        this.clock = clock;
    }

    /** Loads the keys, generating and storing the first key of {@code algorithm} when none is usable. */
    public static SigningKeyRing load(Database db, MasterKey masterKey, SigningAlgorithm algorithm, Clock clock) {
        SigningKeyRing ring = new SigningKeyRing(db, masterKey, algorithm, clock);
        db.inTransaction(c -> {
            // Nodes starting together on an empty database must not each create a key.
            db.dialect().lock(c, Dialect.Lock.SIGNING_KEYS);
            Instant now = clock.instant();
            boolean usable = ring.store.published(c, now).stream()
                    .anyMatch(r -> r.alg().equals(algorithm.jws().getName()) && !r.activateAt().isAfter(now));
            if (!usable) {
                ring.insertNew(c, now, now, null);
            }
            return null;
        });
        ring.reload();
        return ring;
    }

    /** Re-reads the keys from the database (other nodes may have rotated). */
    public void reload() {
        Instant now = clock.instant();
        List<SigningKeyStore.Row> rows = db.read(c -> store.published(c, now));
        JWK active = null;
        List<JWK> publics = new ArrayList<>();
        for (SigningKeyStore.Row row : rows) {
            JWK key = decrypted.computeIfAbsent(row.kid(), k -> parse(masterKey.decrypt(row.privateJwkEncrypted(), k)));
            publics.add(key.toPublicJWK());
            if (row.alg().equals(algorithm.jws().getName()) && !row.activateAt().isAfter(now)) {
                active = key; // rows come in activation order: the latest activated key of the algorithm signs
            }
        }
        if (active == null) {
            throw new IllegalStateException("no active " + algorithm.jws().getName() + " signing key");
        }
        Snapshot previous = current.get();
        if (previous != null && previous.active().getKeyID().equals(active.getKeyID())
                && previous.rows().equals(rows)) {
            return;
        }
        try {
            JWSHeader header = new JWSHeader.Builder(algorithm.jws())
                    .type(new JOSEObjectType(ClaimNames.TYPE))
                    .keyID(active.getKeyID())
                    .build();
            // The header is the same for every token until the next key: encoded once here, not per token.
            current.set(new Snapshot(active, algorithm.signer(active), header, header.toBase64URL().toString(),
                    new JWKSet(publics).toString(true), rows));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot use signing key " + active.getKeyID(), e);
        }
        if (previous != null && !previous.active().getKeyID().equals(active.getKeyID())) {
            LOG.info("Signing with key_id={} from now on", active.getKeyID());
        }
    }

    /**
     * Rotates: a new key is published now and signs from {@code now + publishAhead}; every older key is
     * withdrawn once the last token it can have signed has expired ({@code tokenLifetime} after the switch).
     *
     * @return the new key's id
     */
    public String rotate(Duration publishAhead, Duration tokenLifetime) {
        if (publishAhead.compareTo(MIN_PUBLISH_AHEAD) < 0) {
            throw new MayflyException(ErrorCode.USAGE, publishAheadTooShort(publishAhead.getSeconds() + " s"));
        }
        String kid = db.inTransaction(c -> {
            db.dialect().lock(c, Dialect.Lock.SIGNING_KEYS);
            Instant now = clock.instant();
            Instant activate = now.plus(publishAhead);
            store.retireAllUnretired(c, activate.plus(tokenLifetime));
            return insertNew(c, now, activate, null);
        });
        LOG.info("Key rotation: key_id={} is published now and signs from {}", kid, clock.instant().plus(publishAhead));
        reload();
        return kid;
    }

    /** The one wording of the refusal, for the API and the CLI alike. */
    public static String publishAheadTooShort(String given) {
        return "The publish-ahead must be at least " + MIN_PUBLISH_AHEAD.getSeconds() + " s (twice the "
                + RELOAD_INTERVAL.getSeconds() + " s at which every broker node reloads its keys), so every node knows "
                + "the next key before any node signs with it; got " + given + ".";
    }

    private String insertNew(java.sql.Connection c, Instant now, Instant activate, Instant retire) throws java.sql.SQLException {
        try {
            JWK key = algorithm.generate();
            store.insert(c, new SigningKeyStore.Row(key.getKeyID(), algorithm.jws().getName(),
                    key.toPublicJWK().toJSONString(), masterKey.encrypt(key.toJSONString(), key.getKeyID()), now, activate,
                    retire));
            decrypted.put(key.getKeyID(), key);
            LOG.info("Generated a new {} signing key, key_id={}", algorithm.jws().getName(), key.getKeyID());
            return key.getKeyID();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot create a signing key", e);
        }
    }

    private static JWK parse(String json) {
        try {
            return JWK.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("a stored signing key is not a JWK", e);
        }
    }

    /**
     * Signs a JSON claims payload (UTF-8) as an RFC 9068 access token ({@code typ: at+jwt}, {@code kid} of the
     * active key): the compact JWS of the active key's
     * precomputed header, the payload and the signature (RFC 7515 §7.1), built without a Nimbus object per token.
     */
    public String signPayload(byte[] claimsJson) {
        Snapshot s = current.get();
        String signingInput = s.headerBase64() + '.' + Base64URL.encode(claimsJson);
        try {
            Base64URL signature = s.signer().sign(s.header(), signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + '.' + signature;
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /**
     * The public keys as the JWK Set document {@code /jwks.json} serves: rendered once per key change, the
     * same instance until the next, so neither {@code /jwks.json} nor the broker's own verifier (which parses
     * it once per rotation) renders it per request.
     */
    public String publicKeysJson() {
        return current.get().publicKeysJson();
    }

    public String activeKeyId() {
        return current.get().active().getKeyID();
    }

    public String algorithm() {
        return algorithm.jws().getName();
    }

    /** The published keys with their schedule, for {@code GET /v1/keys}. */
    public List<Map<String, Object>> describe() {
        Instant now = clock.instant();
        Snapshot s = current.get();
        List<Map<String, Object>> out = new ArrayList<>();
        for (SigningKeyStore.Row r : s.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kid", r.kid());
            m.put("alg", r.alg());
            m.put("created_at", r.createdAt().toString());
            m.put("activate_at", r.activateAt().toString());
            m.put("retired_at", r.retiredAt() == null ? null : r.retiredAt().toString());
            m.put("state", r.kid().equals(s.active().getKeyID()) ? "active"
                    : r.activateAt().isAfter(now) ? "next" : "retiring");
            out.add(m);
        }
        return out;
    }
}

package dev.mayfly.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Mayfly's opaque secrets: {@code mfy_<kind>_<32 base62 random><6 base62 CRC32 of the random part>}
 * (DESIGN §3.3). The checksum lets a scanner tell a real secret from a look-alike without a lookup.
 * 32 base62 characters carry about 190 bits of randomness.
 */
public final class OpaqueSecret {
    public static final int RANDOM_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 6;
    /** Length of the whole secret: {@code "mfy_"} + two-letter tag + {@code "_"} + body. */
    public static final int LENGTH = 4 + 2 + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKind kind;
    private final Secret secret;

    private OpaqueSecret(SecretKind kind, Secret secret) {
        this.kind = kind;
        this.secret = secret;
    }

    public static OpaqueSecret generate(SecretKind kind) {
        Objects.requireNonNull(kind, "kind");
        char[] body = new char[RANDOM_LENGTH];
        for (int i = 0; i < body.length; i++) {
            body[i] = Base62.ALPHABET.charAt(RANDOM.nextInt(62));
        }
        String random = new String(body);
        return new OpaqueSecret(kind, Secret.of(kind.prefix() + random + checksum(random)));
    }

    /**
     * The secret of this kind whose random part was made elsewhere, e.g. by a keyed function (the broker
     * derives a refresh token's successor so that a retried rotation returns the same one without storing it).
     *
     * @param random {@link #RANDOM_LENGTH} base62 characters, as unpredictable as {@link #generate}'s
     */
    public static OpaqueSecret fromRandom(SecretKind kind, String random) {
        Objects.requireNonNull(kind, "kind");
        if (random == null || random.length() != RANDOM_LENGTH || !random.chars().allMatch(ch -> Base62.isBase62((char) ch))) {
            throw new IllegalArgumentException("the random part must be " + RANDOM_LENGTH + " base62 characters");
        }
        return new OpaqueSecret(kind, Secret.of(kind.prefix() + random + checksum(random)));
    }

    /**
     * Parses a presented string. Empty when it is not a well-formed Mayfly secret of a known kind with a
     * correct checksum; the caller decides which catalog error that is.
     */
    public static Optional<OpaqueSecret> parse(String presented) {
        if (presented == null || presented.length() != LENGTH || !presented.startsWith("mfy_")
                || presented.charAt(6) != '_') {
            return Optional.empty();
        }
        Optional<SecretKind> kind = SecretKind.fromTag(presented.substring(4, 6));
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        String body = presented.substring(7);
        for (int i = 0; i < body.length(); i++) {
            if (!Base62.isBase62(body.charAt(i))) {
                return Optional.empty();
            }
        }
        String random = body.substring(0, RANDOM_LENGTH);
        if (!checksum(random).equals(body.substring(RANDOM_LENGTH))) {
            return Optional.empty();
        }
        return Optional.of(new OpaqueSecret(kind.get(), Secret.of(presented)));
    }

    /** Parses and requires a particular kind. */
    public static Optional<OpaqueSecret> parse(String presented, SecretKind expected) {
        return parse(presented).filter(s -> s.kind == expected);
    }

    public static boolean isValid(String presented) {
        return parse(presented).isPresent();
    }

    /** CRC32 (IEEE) of the ASCII random part, base62, left-padded with {@code 0} to six characters. */
    static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return Base62.encode(crc.getValue(), CHECKSUM_LENGTH);
    }

    public SecretKind kind() {
        return kind;
    }

    public Secret secret() {
        return secret;
    }

    /** The SHA-256 under which this secret is stored. */
    public String hash() {
        return secret.sha256Hex();
    }

    @Override
    public String toString() {
        return "OpaqueSecret[" + kind.prefix() + "redacted]";
    }
}

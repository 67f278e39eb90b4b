package dev.mayfly.scanner;

import dev.mayfly.core.secret.Secret;
import dev.mayfly.core.secret.SecretKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32;

/** Deterministic secrets and look-alikes for tests. Every value is generated; none is a real credential. */
public final class Fixtures {
    public static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    public static final String BASE32_AWS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    public static final String BASE64URL = BASE62 + "-_";

    private Fixtures() {
    }

    public static String random(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A Mayfly opaque secret with a valid checksum (DESIGN §3.3). */
    public static String mayfly(SecretKind kind, long seed) {
        String random = random(BASE62, 32, seed);
        return kind.prefix() + random + crc62(random);
    }

    /** Same shape, checksum off by one character. */
    public static String mayflyBadChecksum(SecretKind kind, long seed) {
        String good = mayfly(kind, seed);
        char last = good.charAt(good.length() - 1);
        return good.substring(0, good.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    /** A GitHub classic token ({@code ghp_}, {@code gho_}...) with a valid CRC32 checksum. */
    public static String github(String prefix, long seed) {
        String random = random(BASE62, 30, seed);
        return prefix + random + crc62(random);
    }

    public static String githubBadChecksum(String prefix, long seed) {
        String good = github(prefix, seed);
        char last = good.charAt(good.length() - 1);
        return good.substring(0, good.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    static String crc62(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[6];
        for (int i = 5; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    public static String b64url(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A compact JWS with a random (unverifiable) signature of {@code sigBytes} bytes. */
    public static String jwt(String header, String payload, int sigBytes, long seed) {
        byte[] sig = new byte[sigBytes];
        new Random(seed).nextBytes(sig);
        return b64url(header) + "." + b64url(payload) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    }

    /** A Mayfly access token: Ed25519-sized signature, {@code typ: at+jwt}. */
    public static String mayflyJwt(String issuer, long seed) {
        return jwt("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}",
                "{\"iss\":\"" + issuer + "\",\"sub\":\"agt_1\",\"aud\":\"https://api.example\",\"exp\":1795000000,"
                        + "\"iat\":1794999700,\"jti\":\"tok_" + seed + "\",\"scope\":\"repo:read\"}", 64, seed);
    }

    /** A DER SEQUENCE with random content of the given length (long-form length when 128 or more). */
    public static byte[] derSequence(int contentLength, long seed) {
        byte[] content = new byte[contentLength];
        new Random(seed).nextBytes(content);
        byte[] header;
        if (contentLength < 0x80) {
            header = new byte[] {0x30, (byte) contentLength};
        } else if (contentLength < 0x100) {
            header = new byte[] {0x30, (byte) 0x81, (byte) contentLength};
        } else {
            header = new byte[] {0x30, (byte) 0x82, (byte) (contentLength >> 8), (byte) contentLength};
        }
        byte[] out = new byte[header.length + contentLength];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, contentLength);
        return out;
    }

    public static String pem(String label, byte[] body) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(body);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----";
    }

    public static byte[] opensshKey(long seed) {
        byte[] magic = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);
        byte[] rest = new byte[400];
        new Random(seed).nextBytes(rest);
        byte[] out = new byte[magic.length + rest.length];
        System.arraycopy(magic, 0, out, 0, magic.length);
        System.arraycopy(rest, 0, out, magic.length, rest.length);
        return out;
    }

    public static String hex(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(
                    text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint a finding carries for this secret. */
    public static String fingerprint(String secret) {
        return Secret.sha256Hex(secret).substring(0, 16);
    }

    /** JSON string escaping (quotes, backslashes, newlines) of {@code s}. */
    public static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}

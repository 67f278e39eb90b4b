package dev.mayfly.cli.scan;

import dev.mayfly.core.secret.OpaqueSecret;
import dev.mayfly.core.secret.SecretKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;

/** Generated secrets to plant in test inputs: each has the right shape and checksum, none is a real credential. */
public final class Planted {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Planted() {
    }

    private static String random(String alphabet, int n, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** An AWS access key id ({@code AKIA} + 16 base32). */
    public static String awsKeyId(long seed) {
        return "AKIA" + random(BASE32, 16, seed);
    }

    /** A GitHub classic personal access token with a valid CRC32 checksum. */
    public static String githubPat(long seed) {
        String body = random(BASE62, 30, seed);
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] sum = new char[6];
        for (int i = 5; i >= 0; i--) {
            sum[i] = BASE62.charAt((int) (v % 62));
            v /= 62;
        }
        return "ghp_" + body + new String(sum);
    }

    /** A well-formed Mayfly refresh token no broker issued. */
    public static String unknownRefreshToken() {
        return OpaqueSecret.generate(SecretKind.REFRESH_TOKEN).secret().reveal();
    }

    /** A {@code typ: at+jwt} token with an issuer, shaped like Mayfly's, with a signature nobody made. */
    public static String foreignAccessToken(String issuer, long seed) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"iss\":\"" + issuer + "\",\"sub\":\"agt_x\",\"jti\":\"" + seed
                + "\",\"exp\":4102444800}").getBytes(StandardCharsets.UTF_8));
        byte[] sig = new byte[64];
        new Random(seed).nextBytes(sig);
        return header + "." + payload + "." + b64.encodeToString(sig);
    }
}

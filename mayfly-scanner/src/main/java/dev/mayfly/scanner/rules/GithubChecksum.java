package dev.mayfly.scanner.rules;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * GitHub's classic token checksum ({@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_}):
 * 30 base62 random characters, then the CRC32 of those 30 characters in base62 ({@code 0-9A-Za-z}),
 * left-padded with {@code 0} to six characters. Published in "Behind GitHub's new authentication token
 * formats" (GitHub blog, 2021-04-05).
 */
final class GithubChecksum implements SecretCheck {
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int PREFIX = 4;
    private static final int RANDOM = 30;
    private static final int CHECKSUM = 6;

    @Override
    public boolean accepts(Candidate c) {
        return valid(c.secret());
    }

    static boolean valid(String token) {
        if (token.length() != PREFIX + RANDOM + CHECKSUM || !token.startsWith("gh") || token.charAt(3) != '_') {
            return false;
        }
        String random = token.substring(PREFIX, PREFIX + RANDOM);
        long expected = 0;
        for (int i = PREFIX + RANDOM; i < token.length(); i++) {
            int digit = ALPHABET.indexOf(token.charAt(i));
            if (digit < 0) {
                return false;
            }
            expected = expected * 62 + digit;
        }
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        return crc.getValue() == expected;
    }

    /** The six checksum characters for a 30-character random part; for tests and fixtures. */
    static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long v = crc.getValue();
        char[] out = new char[CHECKSUM];
        for (int i = CHECKSUM - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }
}

package dev.mayfly.core.secret;

import java.security.SecureRandom;

/**
 * Random identifiers with a type prefix ({@code agt_}, {@code ses_}, {@code tsk_}, {@code req_}...): base62,
 * unguessable, not secrets (they are safe to log), and never shaped like an {@code mfy_} secret.
 */
public final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    /** {@code prefix} followed by {@code length} random base62 characters (about 5.95 bits each). */
    public static String next(String prefix, int length) {
        if (prefix.startsWith("mfy_")) {
            throw new IllegalArgumentException("an id prefix must not look like a Mayfly secret (mfy_)");
        }
        StringBuilder sb = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            sb.append(Base62.ALPHABET.charAt(RANDOM.nextInt(62)));
        }
        return sb.toString();
    }
}

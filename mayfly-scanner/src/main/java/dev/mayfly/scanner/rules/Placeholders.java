package dev.mayfly.scanner.rules;

import java.util.Locale;
import java.util.Set;

/**
 * Recognises values that only look like secrets: documentation examples ({@code AKIAIOSFODNN7EXAMPLE}),
 * template holes ({@code ${TOKEN}}, {@code {{token}}}, {@code <redacted>}), masks ({@code xxxx},
 * {@code ****}) and filler (long runs of one character, {@code 123456}, {@code abcdef}). Not applied to
 * checksummed formats: a checksum that verifies is stronger evidence than any word inside the token.
 */
final class Placeholders {
    private static final Set<String> KNOWN_EXAMPLES = Set.of(
            "AKIAIOSFODNN7EXAMPLE",
            "AKIAI44QH8DHBEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
            "AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
                    + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    private static final String[] MARKERS = {
        "xxxx", "****", "....", "${", "{{", "}}", "<", ">", "%s", "$(",
        "example", "redacted", "placeholder", "changeme", "change_me", "change-me", "your_", "your-",
        "yourapikey", "yourtoken", "yoursecret", "insert", "replace", "dummy", "sample", "fake", "notreal",
        "not_real", "not-real", "todo", "fixme", "foobar", "lorem",
    };

    private Placeholders() {
    }

    static boolean looksLikePlaceholder(String value) {
        if (KNOWN_EXAMPLES.contains(value)) {
            return true;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String m : MARKERS) {
            if (lower.contains(m)) {
                return true;
            }
        }
        return hasFiller(lower);
    }

    /** Six or more of one character, or six or more consecutive characters such as 123456 or abcdef. */
    private static boolean hasFiller(String s) {
        int same = 1;
        int sequential = 1;
        for (int i = 1; i < s.length(); i++) {
            char prev = s.charAt(i - 1);
            char c = s.charAt(i);
            same = c == prev ? same + 1 : 1;
            sequential = Character.isLetterOrDigit(c) && c == prev + 1 ? sequential + 1 : 1;
            if (same >= 6 || sequential >= 6) {
                return true;
            }
        }
        return false;
    }

    /** A check that rejects placeholders. */
    static SecretCheck rejecting() {
        return c -> !looksLikePlaceholder(c.secret());
    }
}

package dev.mayfly.scanner.rules;

import java.util.ArrayList;
import java.util.List;
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
        "xxxx", "****", "....", "${", "{{", "}}", "<", ">", "$(",
        "example", "redacted", "placeholder", "changeme", "change_me", "change-me", "your_", "your-",
        "yourapikey", "yourtoken", "yoursecret", "insert", "replace", "dummy", "sample", "fake", "notreal",
        "not_real", "not-real", "todo", "fixme", "foobar", "lorem",
    };

    private Placeholders() {
    }

    static boolean looksLikePlaceholder(String value) {
        return reason(value) != null;
    }

    /** Why the value is a placeholder, or {@code null} when it is not one. Never quotes the value. */
    static String reason(String value) {
        if (KNOWN_EXAMPLES.contains(value)) {
            return "a documentation example";
        }
        if (value.contains("%s")) {
            // printf's hole is lower case; "%S" is as likely as any pair in a generated password
            return "placeholder marker \"%s\"";
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!hasMarker(lower)) {
            return hasFiller(lower) ? FILLER : null;
        }
        for (String m : MARKERS) {
            if (lower.contains(m)) {
                return "placeholder marker \"" + m + "\"";
            }
        }
        return hasFiller(lower) ? FILLER : null;
    }

    private static final String FILLER = "filler (six or more of one character, or a run such as abcdef)";

    /** For each character, the {@link #MARKERS} that start with it (ASCII only: every marker is ASCII). */
    private static final String[][] MARKERS_BY_FIRST = new String[128][];

    static {
        for (char c = 0; c < 128; c++) {
            List<String> starting = new ArrayList<>();
            for (String m : MARKERS) {
                if (m.charAt(0) == c) {
                    starting.add(m);
                }
            }
            MARKERS_BY_FIRST[c] = starting.isEmpty() ? null : starting.toArray(new String[0]);
        }
    }

    /**
     * Whether {@code lower} contains any of {@link #MARKERS}, in one walk that tries at each character only
     * the markers starting with it, instead of a search per marker; the markers' order, which picks the
     * reason, is then {@link #reason}'s loop, run only for the few values that hold one.
     */
    private static boolean hasMarker(String lower) {
        int n = lower.length();
        for (int i = 0; i < n; i++) {
            char c = lower.charAt(i);
            String[] starting = c < 128 ? MARKERS_BY_FIRST[c] : null;
            if (starting != null) {
                for (String m : starting) {
                    if (lower.startsWith(m, i)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Six or more of one character, or six or more consecutive characters such as 123456 or abcdef, in a
     * part of the value (between separators) that holds a letter. A part of digits only is a number (a Slack
     * team id, an account, a timestamp) in which a run like 123456 happens by chance; it is never filler
     * evidence, so a real token is not dropped for its ids (issue 24).
     */
    private static boolean hasFiller(String s) {
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || !Ascii.isLetterOrDigit(s.charAt(i))) {
                if (hasLetter(s, start, i) && hasRun(s, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return hasSeparatorRun(s);
    }

    private static boolean hasRun(String s, int from, int to) {
        int same = 1;
        int sequential = 1;
        for (int i = from + 1; i < to; i++) {
            char prev = s.charAt(i - 1);
            char c = s.charAt(i);
            same = c == prev ? same + 1 : 1;
            sequential = c == prev + 1 ? sequential + 1 : 1;
            if (same >= 6 || sequential >= 6) {
                return true;
            }
        }
        return false;
    }

    /** Six or more of one separator ({@code ------}, {@code ______}). */
    private static boolean hasSeparatorRun(String s) {
        int same = 1;
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            same = c == s.charAt(i - 1) && !Ascii.isLetterOrDigit(c) ? same + 1 : 1;
            if (same >= 6) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLetter(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Ascii.isLetter(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** A check that rejects placeholders, saying which kind. */
    static SecretCheck rejecting() {
        return new SecretCheck() {
            @Override
            public boolean accepts(Candidate c) {
                return !looksLikePlaceholder(c.secret());
            }

            @Override
            public String refusal(Candidate c) {
                return reason(c.secret());
            }
        };
    }
}

package dev.mayfly.scanner;

/**
 * The built-in generic rule's regex, matched by hand at a keyword hit ({@code lookingAt} from the hit, as
 * the scanner runs it), for the match end and the secret group. The regex is
 * {@code (?i)(?:pass(?:w(?:or)?d|phrase)?|pwd|secret|token|credentials?|api[_.\-]?key|apikey|key)
 * ([a-z0-9_.\-]{0,24}?)["']?\s{0,4}(?::=|=>|=|:)\s{0,4}["'`]?((?:[^\s"'`,;<>()\[\]{}\\&]|&(?![a-z0-9_.\-]{1,40}=)){6,256})};
 * java.util.regex pays a few frames per character of its value loop, and this rule runs at every
 * keyword followed by an assignment. Its backtracking has one real choice: a keyword's key-name tail
 * must run to the end of the key characters (whatever follows is not one); a quote or space not taken
 * leaves a character nothing after it accepts; only {@code :=} falls back to {@code :}, with a value
 * starting at the {@code =}. Like the regex, it counts the value in code points. {@code GenericAssignmentMatchTest} holds it to the regex on random text.
 * Used only for a rule whose regex is exactly the built-in one ({@link AssignmentPrecheck#appliesTo}).
 */
final class GenericAssignmentMatch {
    private static final String[] KEYWORDS = {
        "password", "passwd", "passphrase", "pass", "pwd", "secret", "token", "credentials", "credential",
        "api_key", "api.key", "api-key", "apikey", "key",
    };
    private static final int MAX_TAIL = 24;
    private static final int MAX_SPACES = 4;
    private static final int MIN_VALUE = 6;
    private static final int MAX_VALUE = 256;
    private static final int MAX_PARAMETER = 40;

    private GenericAssignmentMatch() {
    }

    /**
     * Matches at {@code at}, consuming only {@code text[at, to)} (the lookahead after {@code &} may read on
     * to {@code length}); on a match stores the match end, the value's start and its end in {@code out}.
     */
    static boolean lookingAt(char[] text, int at, int to, int length, int[] out) {
        int run = at;
        while (run < to && isKeyChar(text[run])) {
            run++;
        }
        if (run >= to || !keywordEndsWithin(text, at, run)) {
            return false;
        }
        int p = run;
        if (text[p] == '"' || text[p] == '\'') {
            p++;
        }
        for (int s = 0; s < MAX_SPACES && p < to && isSpace(text[p]); s++) {
            p++;
        }
        if (p >= to) {
            return false;
        }
        if (text[p] == ':') {
            if (p + 1 < to && text[p + 1] == '=' && value(text, p + 2, to, length, out)) {
                return true;
            }
            return value(text, p + 1, to, length, out);
        }
        if (text[p] == '=') {
            if (p + 1 < to && text[p + 1] == '>' && value(text, p + 2, to, length, out)) {
                return true;
            }
            return value(text, p + 1, to, length, out);
        }
        return false;
    }

    /** Whether a keyword matches at {@code at} and ends at most {@link #MAX_TAIL} key characters before {@code run}. */
    private static boolean keywordEndsWithin(char[] text, int at, int run) {
        for (String k : KEYWORDS) {
            int end = at + k.length();
            if (end <= run && run - end <= MAX_TAIL && startsWithIgnoreCase(text, at, k)) {
                return true;
            }
        }
        return false;
    }

    private static boolean value(char[] text, int from, int to, int length, int[] out) {
        int q = from;
        for (int s = 0; s < MAX_SPACES && q < to && isSpace(text[q]); s++) {
            q++;
        }
        if (q < to && (text[q] == '"' || text[q] == '\'' || text[q] == '`')) {
            q++;
        }
        // The regex counts code points: a surrogate pair is one value character (never an excluded one),
        // and one cut by the region's end is not taken.
        int e = q;
        int count = 0;
        while (e < to && count < MAX_VALUE) {
            int width = Character.isHighSurrogate(text[e]) && e + 1 < length && Character.isLowSurrogate(text[e + 1]) ? 2 : 1;
            if (e + width > to || (width == 1 && !valueChar(text, e, length))) {
                break;
            }
            e += width;
            count++;
        }
        if (count < MIN_VALUE) {
            return false;
        }
        out[0] = e;
        out[1] = q;
        out[2] = e;
        return true;
    }

    private static boolean valueChar(char[] text, int i, int length) {
        switch (text[i]) {
            case '"': case '\'': case '`': case ',': case ';': case '<': case '>': case '(': case ')':
            case '[': case ']': case '{': case '}': case '\\':
                return false;
            case '&':
                return !startsParameter(text, i + 1, length);
            default:
                return !isSpace(text[i]);
        }
    }

    /** {@code [a-z0-9_.\-]{1,40}=} at {@code i}: a query parameter's name and its {@code =}. */
    private static boolean startsParameter(char[] text, int i, int length) {
        int k = i;
        while (k < length && k - i <= MAX_PARAMETER && isKeyChar(text[k])) {
            k++;
        }
        int run = k - i;
        return run >= 1 && run <= MAX_PARAMETER && k < length && text[k] == '=';
    }

    private static boolean startsWithIgnoreCase(char[] text, int at, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = text[at + k];
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}

package dev.mayfly.scanner;

import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.rules.Rule;
import java.util.regex.Pattern;

/**
 * A cheap test, at a keyword hit, that the built-in generic rule's regex can match there: the keyword
 * ({@code token}, {@code password}, {@code key}…) must be followed by a short run of key-name characters,
 * an optional quote, at most four spaces, {@code :} or {@code =}, and room for a value of six characters
 * ({@code max_tokens: 512} fails there). Keywords in prose ("the token
 * budget") are the common case and fail after a few characters, sparing a regex run. Looser than the
 * regex, never stricter, so it changes no result.
 */
final class AssignmentPrecheck {
    /** The regex's key suffix is at most 24 characters; a keyword hit may end inside a longer keyword. */
    private static final int MAX_KEY_TAIL = 24 + 16;
    private static final int MAX_SPACES = 4;
    /** The regex's value is at least this many characters. */
    private static final int MIN_VALUE = 6;
    private static final Pattern GENERIC = BuiltinRules.all().rules().stream()
            .filter(r -> r.id().equals(BuiltinRules.GENERIC)).findFirst().flatMap(Rule::regex).orElseThrow();

    private AssignmentPrecheck() {
    }

    /** Whether the pre-check is exact for this rule: its regex is the built-in generic one. */
    static boolean appliesTo(Rule rule) {
        return rule.regex().map(p -> p.pattern().equals(GENERIC.pattern()) && p.flags() == GENERIC.flags()).orElse(false);
    }

    /** False only when no assignment operator can follow a keyword ending at {@code end}. */
    static boolean operatorMayFollow(char[] text, int end, int length) {
        int i = end;
        int limit = Math.min(length, end + MAX_KEY_TAIL + 1);
        while (i < limit && isKeyChar(text[i])) {
            i++;
        }
        if (i == limit) {
            return i == length; // the key runs on too long, unless the view ends first
        }
        if (text[i] == '"' || text[i] == '\'') {
            i++;
        }
        for (int s = 0; s < MAX_SPACES && i < length && isSpace(text[i]); s++) {
            i++;
        }
        if (i >= length) {
            return true;
        }
        // The operator is :=, =>, = or :. Where ":=" fails the regex backtracks to ":" and the value may
        // start with the "="; "=" before ">" leaves a value starting with ">", which cannot match.
        if (text[i] == ':') {
            return i + 1 < length && text[i + 1] == '='
                    ? valueMayFollow(text, i + 2, length) || valueMayFollow(text, i + 1, length)
                    : valueMayFollow(text, i + 1, length);
        }
        if (text[i] == '=') {
            return valueMayFollow(text, i + 1 < length && text[i + 1] == '>' ? i + 2 : i + 1, length);
        }
        return false;
    }

    /**
     * False only when no value of {@value #MIN_VALUE} characters can start after an operator ending at
     * {@code at}: at most four spaces, an optional quote, then value characters ({@code &} always counts,
     * though the regex refuses it before a query parameter name and "=").
     */
    private static boolean valueMayFollow(char[] text, int at, int length) {
        int i = at;
        for (int s = 0; s < MAX_SPACES && i < length && isSpace(text[i]); s++) {
            i++;
        }
        if (i < length && (text[i] == '"' || text[i] == '\'' || text[i] == '`')) {
            i++;
        }
        for (int k = 0; k < MIN_VALUE; k++, i++) {
            if (i >= length) {
                return true;
            }
            if (!isValueChar(text[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValueChar(char c) {
        switch (c) {
            case '"': case '\'': case '`': case ',': case ';': case '<': case '>': case '(': case ')':
            case '[': case ']': case '{': case '}': case '\\':
                return false;
            default:
                return !isSpace(c);
        }
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }
}

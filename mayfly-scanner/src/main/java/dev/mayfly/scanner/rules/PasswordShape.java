package dev.mayfly.scanner.rules;

import java.util.Locale;
import java.util.Set;

/**
 * Whether a value found where a password stands (a URI's userinfo, a Basic header, "the password is …")
 * looks like one a person or a generator chose: long enough, letters with digits or symbols (a lone word
 * is prose or a placeholder: {@code postgres:postgres}, "the password is stored …"), some entropy, and no
 * placeholder. Each refusal is a reason for {@code --explain}. Stateless.
 */
final class PasswordShape {
    /** Words that stand where a password goes in examples and templates. */
    private static final Set<String> STAND_INS = Set.of(
            "password", "passwd", "pass", "pwd", "secret", "postgres", "root", "admin", "user", "guest",
            "test", "mysql", "redis", "rabbitmq", "hunter2", "p@ssw0rd", "p@ssword", "passw0rd", "password1",
            "password123", "letmein", "qwerty", "s3cr3t", "secret123", "admin123", "none", "null", "empty");

    private PasswordShape() {
    }

    /** The reason {@code value} is not a password, or {@code null} when it may be one. */
    static String refusal(String value, int minLength) {
        int n = value.length();
        if (n < minLength) {
            return "shorter than " + minLength + " characters";
        }
        if (STAND_INS.contains(value.toLowerCase(Locale.ROOT))) {
            return "a stand-in word used in examples";
        }
        boolean letter = false;
        boolean digit = false;
        boolean symbol = false;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (Character.isLetter(c)) {
                letter = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                symbol = true;
            }
        }
        if (!(digit || symbol) || !(letter || n >= 10)) {
            return "letters only, or no letters: a word or a number";
        }
        String placeholder = Placeholders.reason(value);
        if (placeholder != null) {
            return placeholder;
        }
        if (value.startsWith("$") && isIdentifier(value, 1) || value.startsWith("%") && value.endsWith("%")) {
            return "an environment variable reference";
        }
        double entropy = Shannon.entropy(value);
        if (entropy < 2.5) {
            return String.format(Locale.ROOT, "entropy %.2f below 2.50 bits per character", entropy);
        }
        return null;
    }

    private static boolean isIdentifier(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return s.length() > from;
    }
}

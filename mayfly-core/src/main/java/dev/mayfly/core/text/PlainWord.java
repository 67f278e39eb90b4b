package dev.mayfly.core.text;

/**
 * Whether a value can stand as one word of a command someone runs verbatim ({@code reauth_command}): no
 * quoting needed, nothing a shell would expand or split. A value that is not plain is left out of such a
 * command rather than quoted, since quoting rules differ between the shells that agents use. Stateless.
 */
public final class PlainWord {
    private static final String SHELL_SPECIAL = "\"'\\$`;&|<>()*?[]{}~#!";

    private PlainWord() {
    }

    public static boolean isPlain(String s) {
        return s != null && !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && SHELL_SPECIAL.indexOf(c) < 0);
    }
}

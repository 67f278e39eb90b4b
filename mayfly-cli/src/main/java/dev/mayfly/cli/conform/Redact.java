package dev.mayfly.cli.conform;

import java.util.regex.Pattern;

/** Blanks what looks like a Mayfly secret or a JWT before text from a CLI under test is echoed in a report. */
final class Redact {
    private static final Pattern SECRETISH =
            Pattern.compile("mfy_[a-z]{2}_[0-9A-Za-z]{38}|eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    private Redact() {
    }

    static String secrets(String text) {
        return SECRETISH.matcher(text).replaceAll("[REDACTED]");
    }
}

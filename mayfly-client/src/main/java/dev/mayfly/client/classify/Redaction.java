package dev.mayfly.client.classify;

import java.util.regex.Pattern;

/**
 * Makes a server's error text safe to keep in an exception or a log: shortened, single-line, and with
 * anything shaped like a credential replaced (JWTs, Mayfly/GitHub/Vault/AWS token formats, Bearer values,
 * long base64 runs). Servers rarely echo credentials, but a classifier that sees every vendor cannot rely on it.
 */
final class Redaction {
    private static final int MAX_LENGTH = 300;
    private static final Pattern[] SECRETS = {
            Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*"),
            Pattern.compile("mfy_[a-z]{2}_[0-9A-Za-z]{8,}"),
            Pattern.compile("(?:gh[pousr]_|github_pat_)[0-9A-Za-z_]{16,}"),
            Pattern.compile("hv[sbr]\\.[0-9A-Za-z_-]{16,}"),
            Pattern.compile("(?:AKIA|ASIA)[0-9A-Z]{16}"),
            Pattern.compile("(?i)(bearer|dpop|basic)\\s+[A-Za-z0-9._~+/=-]{8,}"),
            Pattern.compile("[A-Za-z0-9+/_-]{40,}={0,2}"),
    };

    private Redaction() {
    }

    static String message(String text) {
        if (text == null) {
            return null;
        }
        String s = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        if (s.length() > 4 * MAX_LENGTH) {
            s = s.substring(0, 4 * MAX_LENGTH);
        }
        for (Pattern p : SECRETS) {
            s = p.matcher(s).replaceAll(m -> m.groupCount() > 0 && m.group(1) != null ? m.group(1) + " [redacted]" : "[redacted]");
        }
        if (s.length() > MAX_LENGTH) {
            s = s.substring(0, MAX_LENGTH) + "...";
        }
        return s.isEmpty() ? null : s;
    }
}

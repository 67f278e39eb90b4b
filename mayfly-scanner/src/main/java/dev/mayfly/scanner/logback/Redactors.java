package dev.mayfly.scanner.logback;

import dev.mayfly.scanner.Redactor;
import dev.mayfly.scanner.SecretScanner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared redactors for the converters, one per issuer option: building a scanner compiles every rule. */
final class Redactors {
    private static final String ANY = "";
    private static final Map<String, Redactor> BY_ISSUER = new ConcurrentHashMap<>();

    private Redactors() {
    }

    static Redactor forIssuer(String issuer) {
        String key = issuer == null || issuer.isBlank() ? ANY : issuer.trim();
        return BY_ISSUER.computeIfAbsent(key, k -> SecretScanner.builder()
                .mayflyIssuer(k.isEmpty() ? null : k).build().redactor());
    }
}

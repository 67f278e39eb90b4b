package dev.mayfly.scanner;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A match a rule refused, with the reason: what {@code mayfly scan --explain} shows so that every
 * candidate the scanner dropped (a placeholder, an identifier, a checksum that fails, a generic match
 * yielding to a specific one) can be checked by a person. Collected only when the scanner is built with
 * {@link SecretScanner.Builder#explain(boolean)}. Like a finding it carries the redacted value and the
 * fingerprint, never the text; the reason names a property, never the characters. Immutable.
 */
public final class Suppression {
    private final Finding candidate;
    private final String reason;

    Suppression(Finding candidate, String reason) {
        this.candidate = Objects.requireNonNull(candidate, "candidate");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** This suppression with its candidate moved ({@link Finding#shifted}). */
    Suppression shifted(long chars, int lines) {
        return new Suppression(candidate.shifted(chars, lines), reason);
    }

    /** The finding the match would have been. */
    public Finding candidate() {
        return candidate;
    }

    /** Why it is not one. */
    public String reason() {
        return reason;
    }

    /** The candidate's report form plus {@code reason}. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(candidate.toMap());
        m.put("reason", reason);
        return m;
    }

    @Override
    public String toString() {
        return "Suppression[" + candidate.ruleId() + " " + candidate.source() + ":" + candidate.line() + ":"
                + candidate.column() + " " + reason + "]";
    }
}

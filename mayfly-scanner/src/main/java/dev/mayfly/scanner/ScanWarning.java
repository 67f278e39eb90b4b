package dev.mayfly.scanner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something the scan could not do completely, reported instead of failing the scan: a rule's regex that
 * ran out of its step budget in a window (catastrophic backtracking), or an input that could not be read.
 * Messages name the rule and place, never input text. Immutable and thread-safe.
 */
public final class ScanWarning {
    /** What went wrong. */
    public enum Code {
        /** The regex exceeded its step budget in one window; that window was skipped for that rule. */
        REGEX_BUDGET_EXCEEDED,
        /** The regex recursed too deeply (java.util.regex on long alternations); the window was skipped. */
        REGEX_STACK_OVERFLOW,
        /** A file of a directory scan could not be read. */
        UNREADABLE
    }

    private final Code code;
    private final String ruleId;
    private final String source;
    private final int line;
    private final String message;

    ScanWarning(Code code, String ruleId, String source, int line, String message) {
        this.code = code;
        this.ruleId = ruleId;
        this.source = source;
        this.line = line;
        this.message = message;
    }

    /** This warning moved by {@code lines} lines, when it is about a position ({@link FileParts}). */
    ScanWarning shifted(int lines) {
        return line == 0 ? this : new ScanWarning(code, ruleId, source, line + lines, message);
    }

    public Code code() {
        return code;
    }

    /** The rule concerned, or {@code null}. */
    public String ruleId() {
        return ruleId;
    }

    public String source() {
        return source;
    }

    /** 1-based line where the skipped window starts; 0 when not about a position. */
    public int line() {
        return line;
    }

    public String message() {
        return message;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.name().toLowerCase(java.util.Locale.ROOT));
        m.put("rule_id", ruleId);
        m.put("file", source);
        m.put("line", line);
        m.put("message", message);
        return m;
    }

    @Override
    public String toString() {
        return "ScanWarning[" + code + (ruleId == null ? "" : " " + ruleId) + " at " + source + ":" + line + "]";
    }
}

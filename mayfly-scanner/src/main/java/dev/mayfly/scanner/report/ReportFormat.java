package dev.mayfly.scanner.report;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import java.util.Locale;

/** The report formats of {@code mayfly scan --format}. */
public enum ReportFormat {
    /** Mayfly's own JSON: {@link dev.mayfly.scanner.ScanResult#toMap()}. */
    JSON,
    /** SARIF 2.1.0 (OASIS), for code-scanning dashboards. */
    SARIF,
    /** The JSON array gitleaks writes with {@code --report-format json}, secrets redacted. */
    GITLEAKS,
    /** One line per finding, for people. */
    TEXT;

    /** @throws MayflyException {@link ErrorCode#USAGE} for an unknown name */
    public static ReportFormat parse(String name) {
        for (ReportFormat f : values()) {
            if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return f;
            }
        }
        throw new MayflyException(ErrorCode.USAGE, "unknown report format '" + name
                + "'; expected json, sarif, gitleaks or text");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

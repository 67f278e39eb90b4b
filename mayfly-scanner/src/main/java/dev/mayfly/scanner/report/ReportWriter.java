package dev.mayfly.scanner.report;

import dev.mayfly.scanner.ScanResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/** Writes a {@link ScanResult} in one format. Reports never contain a secret. Implementations are thread-safe. */
public interface ReportWriter {
    /** Writes the report; does not close {@code out}. */
    void write(ScanResult result, Writer out) throws IOException;

    default String render(ScanResult result) {
        StringWriter w = new StringWriter();
        try {
            write(result, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * The text report's finding and warning lines without its closing summary line, for a caller that
     * writes its own summary (the CLI adds the files it skipped).
     */
    static ReportWriter textLines() {
        return new TextReport(false);
    }

    /** The text format's finding lines alone: what a report written input by input writes as it goes. */
    static ReportWriter textFindingLines() {
        return new TextReport(true, false, false);
    }

    /** The text format's {@code suppressed:} and {@code warning:} lines alone, without the summary. */
    static ReportWriter textNoteLines() {
        return new TextReport(false, true, false);
    }

    static ReportWriter of(ReportFormat format) {
        switch (format) {
            case SARIF:
                return new SarifReport();
            case GITLEAKS:
                return new GitleaksReport();
            case TEXT:
                return new TextReport(true);
            default:
                return new JsonReport();
        }
    }
}

package dev.mayfly.scanner.report;

import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.ScanWarning;
import dev.mayfly.scanner.Suppression;
import java.io.IOException;
import java.io.Writer;

/** {@code file:line:column  rule  redacted  fingerprint}, one finding per line, then a summary. */
final class TextReport implements ReportWriter {
    private final boolean findings;
    private final boolean notes;
    private final boolean summary;

    TextReport(boolean summary) {
        this(true, true, summary);
    }

    /** Some of the report: the finding lines, the suppressed and warning lines, the summary. */
    TextReport(boolean findings, boolean notes, boolean summary) {
        this.findings = findings;
        this.notes = notes;
        this.summary = summary;
    }

    @Override
    public void write(ScanResult result, Writer out) throws IOException {
        if (findings) {
            writeFindings(result, out);
        }
        if (notes) {
            writeNotes(result, out);
        }
        if (summary) {
            writeSummary(result, out);
        }
    }

    private static void writeFindings(ScanResult result, Writer out) throws IOException {
        for (Finding f : result.findings()) {
            out.write(f.source() + ":" + f.line() + ":" + f.column() + "  " + f.ruleId() + "  " + f.redacted()
                    + "  " + f.fingerprint() + (f.isMayfly() ? "  [mayfly]" : "")
                    + (f.decodedFrom().isEmpty() ? "" : "  via " + labels(f)) + "\n");
        }
    }

    private static void writeNotes(ScanResult result, Writer out) throws IOException {
        for (Suppression x : result.suppressed()) {
            Finding f = x.candidate();
            out.write("suppressed: " + f.source() + ":" + f.line() + ":" + f.column() + "  " + f.ruleId() + "  "
                    + f.redacted() + "  " + f.fingerprint() + "  " + x.reason() + "\n");
        }
        for (ScanWarning w : result.warnings()) {
            out.write("warning: " + w.source() + (w.line() > 0 ? ":" + w.line() : "") + "  " + w.message() + "\n");
        }
    }

    private static void writeSummary(ScanResult result, Writer out) throws IOException {
        int mayfly = result.mayflyFindings().size();
        out.write(result.findings().size() + (result.findings().size() == 1 ? " secret" : " secrets") + " found"
                + (mayfly > 0 ? " (" + mayfly + " Mayfly)" : "") + " in " + result.sources()
                + (result.sources() == 1 ? " source" : " sources") + "\n");
    }

    private static String labels(Finding f) {
        StringBuilder sb = new StringBuilder();
        f.decodedFrom().forEach(d -> sb.append(sb.length() == 0 ? "" : ">").append(d.label()));
        return sb.toString();
    }
}

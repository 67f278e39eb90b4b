package dev.mayfly.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.report.ReportFormat;
import dev.mayfly.scanner.report.ReportWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a {@link ScanReport} in one of the scanner's formats: the per-input results are merged into one
 * {@link ScanResult} ({@link ScanResult#merge}) and written once by the scanner's own writer. Skipped files
 * are added where the format has room (JSON {@code skipped}, SARIF tool notifications, text lines before
 * the summary); gitleaks' array has none. Stateless.
 */
final class CombinedReport {
    private CombinedReport() {
    }

    static void write(ScanReport report, ReportFormat format, Writer out) throws IOException {
        switch (format) {
            case SARIF:
                out.write(pretty(sarif(report)));
                break;
            case GITLEAKS:
                ReportWriter.of(ReportFormat.GITLEAKS).write(report.merged(), out);
                break;
            case TEXT:
                text(report, out);
                break;
            default:
                out.write(pretty(Json.mapper().valueToTree(report.toMap())));
                break;
        }
        out.flush();
    }

    static String render(ScanReport report, ReportFormat format) {
        StringWriter w = new StringWriter();
        try {
            write(report, format, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static String pretty(JsonNode node) throws IOException {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    }

    /** The scanner's SARIF log of the merged result, with the skipped files as tool notifications. */
    static ObjectNode sarif(ScanReport report) throws IOException {
        ObjectNode log = (ObjectNode) Json.mapper().readTree(ReportWriter.of(ReportFormat.SARIF).render(report.merged()));
        if (report.skipped().isEmpty()) {
            return log;
        }
        ObjectNode run = (ObjectNode) log.withArray("runs").get(0);
        ArrayNode notes = ((ObjectNode) run.withArray("invocations").get(0)).withArray("toolExecutionNotifications");
        for (ScanInputs.Skipped s : report.skipped()) {
            ObjectNode n = notes.addObject();
            n.put("level", "note");
            n.putObject("message").put("text", "skipped " + s.path() + " (" + s.reason() + ")");
            n.putObject("descriptor").put("id", "skipped_" + s.reason());
        }
        return log;
    }

    private static void text(ScanReport report, Writer out) throws IOException {
        ReportWriter.textFindingLines().write(report.merged(), out);
        textAfterFindings(report, out);
    }

    /**
     * The text report after its finding lines: suppressed and warning lines, skipped files, the headline.
     * {@link StreamedText} writes the finding lines as inputs are scanned, then this.
     */
    static void textAfterFindings(ScanReport report, Writer out) throws IOException {
        ReportWriter.textNoteLines().write(report.merged(), out);
        for (ScanInputs.Skipped s : report.skipped()) {
            out.write("skipped: " + s.path() + "  " + s.reason() + "\n");
        }
        int sources = report.sources();
        out.write(report.headline() + " in " + sources + (sources == 1 ? " source" : " sources")
                + (report.skipped().isEmpty() ? "" : ", " + report.skipped().size() + " skipped") + "\n");
    }
}

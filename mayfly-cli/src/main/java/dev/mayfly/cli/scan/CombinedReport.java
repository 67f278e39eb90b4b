package dev.mayfly.cli.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.report.ReportFormat;
import dev.mayfly.scanner.report.ReportWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a {@link ScanReport} in one of the scanner's formats. The scanner's writers take one
 * {@link ScanResult}; a CLI scan has one per input, so each is rendered by the scanner's own writer and
 * the renderings are combined: SARIF results go into one run (rules de-duplicated, {@code ruleIndex}
 * renumbered), gitleaks arrays are concatenated, text reports lose their per-input summary line for one
 * overall summary. Skipped files are listed where the format has room (JSON {@code skipped}, SARIF
 * tool notifications, text lines); gitleaks' array has none. Stateless.
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
                out.write(pretty(gitleaks(report)));
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
        java.io.StringWriter w = new java.io.StringWriter();
        try {
            write(report, format, w);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return w.toString();
    }

    private static String pretty(JsonNode node) throws IOException {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
    }

    private static JsonNode parse(ReportFormat format, ScanResult result) throws IOException {
        return Json.mapper().readTree(ReportWriter.of(format).render(result));
    }

    static ObjectNode sarif(ScanReport report) throws IOException {
        ObjectNode log = (ObjectNode) parse(ReportFormat.SARIF, report.empty());
        ObjectNode run = (ObjectNode) log.withArray("runs").get(0);
        ArrayNode rules = ((ObjectNode) run.at("/tool/driver")).withArray("rules");
        ArrayNode results = run.withArray("results");
        ArrayNode notes = ((ObjectNode) run.withArray("invocations").get(0)).withArray("toolExecutionNotifications");
        Map<String, Integer> ruleIndex = new HashMap<>();
        for (ScanResult part : report.results()) {
            JsonNode partRun = parse(ReportFormat.SARIF, part).path("runs").path(0);
            JsonNode partRules = partRun.at("/tool/driver/rules");
            for (JsonNode r : partRun.path("results")) {
                String id = partRules.path(r.path("ruleIndex").asInt()).path("id").asText(r.path("ruleId").asText());
                Integer index = ruleIndex.get(id);
                if (index == null) {
                    index = rules.size();
                    ruleIndex.put(id, index);
                    rules.add(partRules.path(r.path("ruleIndex").asInt()));
                }
                ObjectNode copy = r.deepCopy();
                copy.put("ruleIndex", index);
                results.add(copy);
            }
            partRun.at("/invocations/0/toolExecutionNotifications").forEach(notes::add);
        }
        for (ScanInputs.Skipped s : report.skipped()) {
            ObjectNode n = notes.addObject();
            n.put("level", "note");
            n.putObject("message").put("text", "skipped " + s.path() + " (" + s.reason() + ")");
            n.putObject("descriptor").put("id", "skipped_" + s.reason());
        }
        return log;
    }

    static ArrayNode gitleaks(ScanReport report) throws IOException {
        ArrayNode all = Json.mapper().createArrayNode();
        for (ScanResult part : report.results()) {
            parse(ReportFormat.GITLEAKS, part).forEach(all::add);
        }
        return all;
    }

    private static void text(ScanReport report, Writer out) throws IOException {
        ReportWriter writer = ReportWriter.of(ReportFormat.TEXT);
        for (ScanResult part : report.results()) {
            String rendered = writer.render(part);
            // The scanner's text report ends with one summary line for its input; one overall summary follows.
            int end = rendered.lastIndexOf('\n', rendered.length() - 2);
            out.write(rendered.substring(0, end + 1));
        }
        for (ScanInputs.Skipped s : report.skipped()) {
            out.write("skipped: " + s.path() + "  " + s.reason() + "\n");
        }
        int sources = report.sources();
        out.write(report.headline() + " in " + sources + (sources == 1 ? " source" : " sources")
                + (report.skipped().isEmpty() ? "" : ", " + report.skipped().size() + " skipped") + "\n");
    }
}

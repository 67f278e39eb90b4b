package dev.mayfly.scanner.report;

import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.Decoding;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.ScanWarning;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format): one run whose tool driver lists the
 * rules that produced results, one result per finding with its physical location (1-based lines and
 * columns in UTF-16 code units, {@code endColumn} exclusive as §3.30.8 defines), the redacted value as
 * snippet, and the secret fingerprint in {@code partialFingerprints}. Scan warnings become tool execution
 * notifications.
 */
final class SarifReport implements ReportWriter {
    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String TOOL = "mayfly-scanner";

    @Override
    public void write(ScanResult result, Writer out) throws IOException {
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        List<Map<String, Object>> rules = new ArrayList<>();
        List<Map<String, Object>> results = new ArrayList<>();
        for (Finding f : result.findings()) {
            Integer index = ruleIndex.get(f.ruleId());
            if (index == null) {
                index = rules.size();
                ruleIndex.put(f.ruleId(), index);
                rules.add(rule(f));
            }
            results.add(result(f, index));
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", TOOL);
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("columnKind", "utf16CodeUnits");
        run.put("results", results);
        run.put("invocations", List.of(invocation(result)));
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("$schema", SCHEMA);
        log.put("version", "2.1.0");
        log.put("runs", List.of(run));
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(log));
        out.write('\n');
    }

    private static Map<String, Object> rule(Finding f) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", f.ruleId());
        r.put("name", f.kind());
        r.put("shortDescription", Map.of("text", f.description()));
        r.put("defaultConfiguration", Map.of("level", "error"));
        r.put("properties", Map.of("tags", f.tags()));
        return r;
    }

    private static Map<String, Object> result(Finding f, int index) {
        Map<String, Object> region = new LinkedHashMap<>();
        region.put("startLine", f.line());
        region.put("startColumn", f.column());
        region.put("endLine", f.endLine());
        region.put("endColumn", f.endColumn() + 1);
        region.put("snippet", Map.of("text", f.redacted()));
        Map<String, Object> physical = new LinkedHashMap<>();
        physical.put("artifactLocation", Map.of("uri", uri(f.source())));
        physical.put("region", region);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ruleId", f.ruleId());
        r.put("ruleIndex", index);
        r.put("level", "error");
        r.put("message", Map.of("text", f.description() + " found: " + f.redacted()));
        r.put("locations", List.of(Map.of("physicalLocation", physical)));
        r.put("partialFingerprints", Map.of("secretSha256/v1", f.fingerprint()));
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("kind", f.kind());
        props.put("mayfly", f.isMayfly());
        List<String> decoded = new ArrayList<>();
        for (Decoding d : f.decodedFrom()) {
            decoded.add(d.label());
        }
        props.put("decodedFrom", decoded);
        r.put("properties", props);
        return r;
    }

    private static Map<String, Object> invocation(ScanResult result) {
        List<Map<String, Object>> notes = new ArrayList<>();
        for (ScanWarning w : result.warnings()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("level", "warning");
            n.put("message", Map.of("text", w.message()));
            n.put("descriptor", Map.of("id", w.code().name().toLowerCase(Locale.ROOT)));
            notes.add(n);
        }
        Map<String, Object> inv = new LinkedHashMap<>();
        inv.put("executionSuccessful", true);
        inv.put("toolExecutionNotifications", notes);
        return inv;
    }

    /** A path as a URI reference: {@code /} separators, everything outside RFC 3986 unreserved and {@code /:} escaped. */
    static String uri(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        StringBuilder sb = new StringBuilder(p.length());
        for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' || c == ':') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}

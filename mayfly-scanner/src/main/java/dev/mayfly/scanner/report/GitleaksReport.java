package dev.mayfly.scanner.report;

import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report gitleaks writes with {@code --report-format json}, field for field, as if run with
 * {@code --redact}: {@code Secret} and {@code Match} hold the redacted value. {@code Fingerprint} has
 * gitleaks' no-git form {@code file:rule:line}, so {@code .gitleaksignore} entries keep working; git
 * fields are empty.
 */
final class GitleaksReport implements ReportWriter {
    @Override
    public void write(ScanResult result, Writer out) throws IOException {
        List<Map<String, Object>> items = new ArrayList<>();
        for (Finding f : result.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("RuleID", f.ruleId());
            m.put("Description", f.description());
            m.put("StartLine", f.line());
            m.put("EndLine", f.endLine());
            m.put("StartColumn", f.column());
            m.put("EndColumn", f.endColumn());
            m.put("Match", f.redacted());
            m.put("Secret", f.redacted());
            m.put("File", f.source());
            m.put("SymlinkFile", "");
            m.put("Commit", "");
            m.put("Entropy", (float) f.entropy());
            m.put("Author", "");
            m.put("Email", "");
            m.put("Date", "");
            m.put("Message", "");
            m.put("Tags", f.tags());
            m.put("Fingerprint", f.source() + ":" + f.ruleId() + ":" + f.line());
            items.add(m);
        }
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(items));
        out.write('\n');
    }
}

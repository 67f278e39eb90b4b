package dev.mayfly.scanner.report;

import dev.mayfly.core.json.Json;
import dev.mayfly.scanner.ScanResult;
import java.io.IOException;
import java.io.Writer;

/** Mayfly's JSON report: {@link ScanResult#toMap()}, pretty-printed. */
final class JsonReport implements ReportWriter {
    @Override
    public void write(ScanResult result, Writer out) throws IOException {
        out.write(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.toMap()));
        out.write('\n');
    }
}

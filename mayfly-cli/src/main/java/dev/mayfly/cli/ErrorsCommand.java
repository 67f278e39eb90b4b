package dev.mayfly.cli;

import dev.mayfly.cli.output.Output;
import dev.mayfly.cli.schema.Outcomes;
import dev.mayfly.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mayfly errors}: the error catalog as data (code, exit code, HTTP status, retryable, meaning). */
@Outcomes(data = "errors[]: code, exit_code, http_status, retryable, auth, meaning")
@Command(name = "errors", mixinStandardHelpOptions = true,
        description = "Print the error catalog: every code with its exit code, HTTP status and whether to retry.")
final class ErrorsCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--json", description = "Print the JSON envelope even on a terminal.")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", c.name());
            row.put("exit_code", c.exitCode());
            row.put("http_status", c.httpStatus());
            row.put("retryable", c.retryable());
            row.put("auth", c.isAuth());
            row.put("meaning", c.meaning());
            rows.add(row);
        }
        return Output.create(json).ok(Map.of("errors", rows), out -> {
            out.printf("%-20s %4s %4s  %-9s %s%n", "CODE", "EXIT", "HTTP", "RETRYABLE", "MEANING");
            for (Map<String, Object> r : rows) {
                out.printf("%-20s %4s %4s  %-9s %s%n", r.get("code"), r.get("exit_code"), r.get("http_status"),
                        r.get("retryable"), r.get("meaning"));
            }
        });
    }
}

package dev.mayfly.cli.schema;

import dev.mayfly.cli.context.CliCommand;
import dev.mayfly.cli.context.Variables;
import dev.mayfly.cli.output.Output;
import dev.mayfly.core.envelope.Envelope;
import dev.mayfly.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mayfly schema}: the whole command tree, with arguments, outputs and exit codes, in one call. */
@Command(name = "schema", mixinStandardHelpOptions = true,
        description = "Print every command with its options, arguments, output and the exit codes it can return, "
                + "plus the environment variables and the exit-code table.")
@Outcomes(data = "schema_version, envelope_keys, environment[], exit_codes[], command (the tree, with subcommands)")
public final class SchemaCommand extends CliCommand {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    protected int execute(Output out) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("schema_version", Envelope.SCHEMA_VERSION);
        data.put("envelope_keys", List.of("ok", "data", "error", "warnings", "meta"));
        data.put("environment", environment());
        List<Map<String, Object>> table = new ArrayList<>();
        table.add(Map.of("exit_code", 0, "meaning", "ok"));
        for (ErrorCode c : ErrorCode.values()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("exit_code", c.exitCode());
            row.put("error_code", c.name());
            row.put("retryable", c.retryable());
            row.put("meaning", c.meaning());
            table.add(row);
        }
        data.put("exit_codes", table);
        Map<String, Object> tree = CommandTree.describe(spec.root());
        data.put("command", tree);
        return out.ok(data, p -> print(p, tree, ""));
    }

    @SuppressWarnings("unchecked")
    private static void print(java.io.PrintStream p, Map<String, Object> node, String indent) {
        p.printf("%s%s  %s%n", indent, node.get("full_name"), node.get("description"));
        for (Map<String, Object> sub : (List<Map<String, Object>>) node.get("subcommands")) {
            print(p, sub, indent + "  ");
        }
    }

    private static List<Map<String, Object>> environment() {
        List<Map<String, Object>> env = new ArrayList<>();
        env.add(variable(Variables.URL, "Broker URL (default http://127.0.0.1:8470).", false));
        env.add(variable(Variables.HOME, "State directory: credentials.json (0600), credentials.lock, admin.json (default ~/.mayfly).", false));
        env.add(variable(Variables.TOKEN, "An access token that overrides the cached session; never refreshed by mayfly.", true));
        env.add(variable(Variables.CLIENT_ID, "Client id for 'mayfly auth login'.", false));
        env.add(variable(Variables.CLIENT_SECRET, "Client secret for 'mayfly auth login'.", true));
        env.add(variable(Variables.CREDENTIALS_URL, "Set by 'mayfly exec' for its child: the loopback credential endpoint.", false));
        env.add(variable(Variables.CREDENTIALS_TOKEN, "Set by 'mayfly exec' for its child: the endpoint's per-run secret.", true));
        env.add(variable(Variables.TASK_ID, "Set by 'mayfly exec' for its child: the task id of its tokens.", false));
        env.add(variable(Variables.TOKEN_EXPIRES_AT, "Set by 'mayfly exec' for its child: when MAYFLY_TOKEN expires.", false));
        env.add(variable(Variables.FAKE_NOW_FILE, "Test only: a file holding the current time (ISO-8601), re-read on every use.", false));
        env.add(variable(Output.DEBUG_VAR, "Show the class and message of internal errors on stderr.", false));
        return env;
    }

    private static Map<String, Object> variable(String name, String description, boolean sensitive) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("description", description);
        m.put("sensitive", sensitive);
        return m;
    }
}

package dev.mayfly.cli;

import dev.mayfly.cli.agent.AgentCommand;
import dev.mayfly.cli.audit.AuditCommand;
import dev.mayfly.cli.auth.AuthCommand;
import dev.mayfly.cli.auth.WhoamiCommand;
import dev.mayfly.cli.conform.ConformCommand;
import dev.mayfly.cli.console.ConsoleCommand;
import dev.mayfly.cli.doctor.DoctorCommand;
import dev.mayfly.cli.exec.ExecCommand;
import dev.mayfly.cli.http.HttpCommand;
import dev.mayfly.cli.keys.KeysCommand;
import dev.mayfly.cli.policy.PolicyCommand;
import dev.mayfly.cli.revocations.RevocationsCommand;
import dev.mayfly.cli.run.RunCommand;
import dev.mayfly.cli.scan.RedactCommand;
import dev.mayfly.cli.scan.ScanCommand;
import dev.mayfly.cli.schema.SchemaCommand;
import dev.mayfly.cli.token.TokenCommand;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The top-level commands of {@code mayfly}, in the order help lists them. This is where a new command is
 * registered; it then appears in {@code --help} and {@code mayfly schema} with no other change.
 *
 * <p>The map is by name so that an invocation builds only the command it runs: picocli reads each command's
 * annotations by reflection, and building all of them cost most of the CLI's start-up.
 */
final class CommandRegistry {
    static final Map<String, Class<?>> TOP_LEVEL = new LinkedHashMap<>();

    static {
        TOP_LEVEL.put("server", ServerCommand.class);
        TOP_LEVEL.put("auth", AuthCommand.class);
        TOP_LEVEL.put("whoami", WhoamiCommand.class);
        TOP_LEVEL.put("token", TokenCommand.class);
        TOP_LEVEL.put("agent", AgentCommand.class);
        TOP_LEVEL.put("http", HttpCommand.class);
        TOP_LEVEL.put("run", RunCommand.class);
        TOP_LEVEL.put("exec", ExecCommand.class);
        TOP_LEVEL.put("conform", ConformCommand.class);
        TOP_LEVEL.put("revocations", RevocationsCommand.class);
        TOP_LEVEL.put("audit", AuditCommand.class);
        TOP_LEVEL.put("keys", KeysCommand.class);
        TOP_LEVEL.put("console", ConsoleCommand.class);
        TOP_LEVEL.put("scan", ScanCommand.class);
        TOP_LEVEL.put("redact", RedactCommand.class);
        TOP_LEVEL.put("policy", PolicyCommand.class);
        TOP_LEVEL.put("doctor", DoctorCommand.class);
        TOP_LEVEL.put("errors", ErrorsCommand.class);
        TOP_LEVEL.put("schema", SchemaCommand.class);
        TOP_LEVEL.put("completion", CompletionCommand.class);
    }

    private CommandRegistry() {
    }

    /**
     * Whether an argument list only asks for the version ({@code --version}, {@code -V}, with or without
     * {@code --json}): then no command is built at all, since the version names none of them.
     */
    static boolean versionOnly(String[] args) {
        boolean version = false;
        for (String a : args) {
            if (a.equals("--version") || a.equals("-V")) {
                version = true;
            } else if (!a.equals("--json")) {
                return false;
            }
        }
        return version;
    }

    /** The one command an argument list runs, or {@code null} when it needs the whole tree (help, schema, errors in it). */
    static String only(String[] args) {
        for (String a : args) {
            if (a.startsWith("-")) {
                continue; // root options take no value (--help, --version)
            }
            return TOP_LEVEL.containsKey(a) && !a.equals("schema") ? a : null;
        }
        return null;
    }
}

package dev.mayfly.cli.schema;

import dev.mayfly.core.error.ErrorCode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command tree as data, read from picocli's model (names, options, arguments, descriptions) and each
 * command's {@link Outcomes} (what it prints, which exit codes it returns), so the schema is always the
 * tree that actually parses. Stateless.
 */
final class CommandTree {
    private static final Set<ErrorCode> AUTH_CALL = EnumSet.of(ErrorCode.CREDENTIALS_EXPIRED, ErrorCode.CREDENTIALS_REVOKED,
            ErrorCode.CREDENTIALS_INVALID, ErrorCode.CREDENTIALS_MISSING, ErrorCode.PERMISSION_DENIED,
            ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT);

    private CommandTree() {
    }

    static Map<String, Object> describe(CommandSpec spec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", spec.name());
        m.put("full_name", spec.qualifiedName());
        m.put("description", String.join(" ", spec.usageMessage().description()));
        m.put("options", spec.options().stream().filter(o -> !o.hidden()).map(CommandTree::option).toList());
        m.put("arguments", spec.positionalParameters().stream().filter(p -> !p.hidden()).map(CommandTree::argument).toList());
        Outcomes outcomes = outcomes(spec);
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("format", outcomes != null && outcomes.streams() ? "json-lines" : "envelope");
        output.put("data", outcomes == null ? null : outcomes.data());
        m.put("output", output);
        m.put("exit_codes", exitCodes(outcomes));
        List<Map<String, Object>> subs = new ArrayList<>();
        spec.subcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) { // once per command, not per alias
                subs.add(describe(sub.getCommandSpec()));
            }
        });
        m.put("subcommands", subs);
        return m;
    }

    private static Outcomes outcomes(CommandSpec spec) {
        Object user = spec.userObject();
        return user == null ? null : user.getClass().getAnnotation(Outcomes.class);
    }

    private static Map<String, Object> option(OptionSpec o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("names", List.of(o.names()));
        m.put("param_label", o.arity().max() == 0 ? null : o.paramLabel());
        m.put("description", String.join(" ", o.description()));
        m.put("required", o.required());
        m.put("repeatable", o.isMultiValue());
        m.put("default", o.defaultValue());
        return m;
    }

    private static Map<String, Object> argument(PositionalParamSpec p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("param_label", p.paramLabel());
        m.put("description", String.join(" ", ((ArgSpec) p).description()));
        m.put("arity", p.arity().toString());
        m.put("required", p.required());
        return m;
    }

    private static List<Map<String, Object>> exitCodes(Outcomes outcomes) {
        Set<ErrorCode> codes = EnumSet.of(ErrorCode.USAGE, ErrorCode.INTERNAL);
        if (outcomes != null) {
            codes.addAll(List.of(outcomes.errors()));
            if (outcomes.authenticated()) {
                codes.addAll(AUTH_CALL);
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        out.add(Map.of("exit_code", 0, "meaning", "ok"));
        codes.stream().sorted((a, b) -> Integer.compare(a.exitCode(), b.exitCode())).forEach(c -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("exit_code", c.exitCode());
            e.put("error_code", c.name());
            e.put("retryable", c.retryable());
            e.put("meaning", c.meaning());
            out.add(e);
        });
        if (outcomes != null && outcomes.passesThroughChildExit()) {
            out.add(Map.of("exit_code", "*", "meaning", "the exit code of the command it runs, passed through"));
        }
        return out;
    }
}

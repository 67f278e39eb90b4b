package dev.mayfly.cli;

import dev.mayfly.cli.output.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * {@code --help}, {@code mayfly help [COMMAND...]} and {@code --version} as the envelope when the output is for a program ({@code --json}, or
 * stdout not a terminal), like every other command's result: an agent that asks for help gets JSON it can
 * parse, not text where it expected an envelope. On a terminal picocli prints them as usual.
 */
final class HelpEnvelope {
    private HelpEnvelope() {
    }

    /** The exit code when help or the version was asked for and printed as an envelope; else {@code null}. */
    static Integer printIfRequested(CommandLine.ParseResult parseResult) {
        Output out = Output.forArgs(parseResult.originalArgs().toArray(new String[0]));
        if (!out.json()) {
            return null;
        }
        for (CommandLine cl : parseResult.asCommandLineList()) {
            if (cl.isUsageHelpRequested()) {
                return usage(out, cl);
            }
            if (cl.getCommand() instanceof CommandLine.HelpCommand) {
                CommandLine target = helpTarget(cl);
                return target == null ? null : usage(out, target);
            }
            if (cl.isVersionHelpRequested()) {
                String text = new Version().getVersion()[0];
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("version", text.substring(text.indexOf(' ') + 1));
                data.put("text", text);
                data.put("java_version", System.getProperty("java.version"));
                return out.ok(data, p -> p.println(text));
            }
        }
        return null;
    }

    private static int usage(Output out, CommandLine cl) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("command", cl.getCommandSpec().qualifiedName());
        data.put("usage", cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
        data.put("subcommands", cl.getSubcommands().keySet());
        data.put("schema", "mayfly schema --json describes every command as data");
        return out.ok(data, p -> p.print(data.get("usage")));
    }

    /**
     * What {@code mayfly help A B} asks about: command {@code A B} (the root for a bare {@code mayfly help});
     * {@code null} for a name that is not a command, which picocli then reports.
     */
    private static CommandLine helpTarget(CommandLine help) {
        CommandLine target = help.getParent();
        for (String name : help.getParseResult().matchedPositionals().stream()
                .flatMap(p -> p.stringValues().stream()).collect(Collectors.toList())) {
            target = target.getSubcommands().get(name);
            if (target == null) {
                return null;
            }
        }
        return target;
    }
}

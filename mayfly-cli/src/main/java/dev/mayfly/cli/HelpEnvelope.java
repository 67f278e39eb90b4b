package dev.mayfly.cli;

import dev.mayfly.cli.output.Output;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code --help} and {@code --version} as the envelope when the output is for a program ({@code --json}, or
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
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("command", cl.getCommandSpec().qualifiedName());
                data.put("usage", cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
                data.put("subcommands", cl.getSubcommands().keySet());
                data.put("schema", "mayfly schema --json describes every command as data");
                return out.ok(data, p -> p.print(data.get("usage")));
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
}

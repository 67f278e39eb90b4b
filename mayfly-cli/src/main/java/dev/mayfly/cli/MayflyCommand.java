package dev.mayfly.cli;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mayfly} command tree. */
@Command(name = "mayfly",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Short-lived credentials for AI agents: a broker, and the command agents and operators use with it.",
        subcommands = {ServerCommand.class, ErrorsCommand.class, CommandLine.HelpCommand.class})
public final class MayflyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "A command is required; see 'mayfly --help'.");
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MayflyCommand());
        // Bad arguments are a USAGE error in an envelope, exit 2; unexpected failures go through the catalog.
        cli.setParameterExceptionHandler((ex, args) -> {
            String help = "mayfly " + (ex.getCommandLine().getCommandName().equals("mayfly") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help";
            return Output.forArgs(args).fail(MayflyError.of(ErrorCode.USAGE, ex.getMessage() + " (see '" + help + "')"),
                    System.nanoTime());
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                Output.forArgs(parseResult.originalArgs().toArray(new String[0])).failure(ex, System.nanoTime()));
        return cli;
    }
}

package dev.mayfly.cli;

import dev.mayfly.cli.context.CliContext;
import dev.mayfly.cli.context.ContextFactory;
import dev.mayfly.cli.output.Output;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.scanner.SecretScanner;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The root of the {@code mayfly} command tree. Commands are registered in {@link CommandRegistry} (where
 * {@code scan} and {@code redact} go too); this class wires the tree to the catalog: usage errors and
 * unexpected failures end as one envelope and a catalog exit code.
 */
@Command(name = "mayfly",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {"Short-lived credentials for AI agents: a broker, and the command agents and operators use with it.",
                "Stdout carries one JSON envelope when it is not a terminal (or with --json); the exit code comes "
                        + "from the error catalog ('mayfly errors'); 'mayfly schema' describes every command."})
public final class MayflyCommand implements Runnable {
    /** Commands whose trailing arguments are another command line: parsing stops at its first word. */
    static final List<String> WRAPPERS = List.of("exec", "run", "conform");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Only meaningful with --help and --version (every command has its own --json): the envelope on a terminal.
    @CommandLine.Option(names = "--json", description = "With --help or --version: print the JSON envelope even on a terminal.")
    boolean json;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "A command is required.");
    }

    /** The tree for these arguments: only the command they run, none for the version, or every command (see {@link CommandRegistry}). */
    static CommandLine commandLine(CliContext context, String[] args) {
        CommandLine cli = new CommandLine(new MayflyCommand(), new ContextFactory(context));
        String only = CommandRegistry.only(args);
        if (only != null) {
            cli.addSubcommand(only, CommandRegistry.TOP_LEVEL.get(only));
        } else if (!CommandRegistry.versionOnly(args)) {
            CommandRegistry.TOP_LEVEL.forEach(cli::addSubcommand);
            cli.addSubcommand("help", CommandLine.HelpCommand.class);
        }
        // '@file' expansion would let an argument of a wrapped command be replaced by a file's content.
        cli.setExpandAtFiles(false);
        for (String wrapper : WRAPPERS) {
            CommandLine sub = cli.getSubcommands().get(wrapper);
            if (sub != null) {
                sub.setStopAtPositional(true);
            }
        }
        // Bad arguments are a USAGE error in an envelope, exit 2; unexpected failures go through the catalog.
        cli.setParameterExceptionHandler((ex, badArgs) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            // picocli quotes the offending argument; a secret pasted as an argument must not be echoed back.
            String message = SecretScanner.create().redactor().redact(ex.getMessage());
            List<String> suggestions = ex instanceof CommandLine.UnmatchedArgumentException
                    ? ((CommandLine.UnmatchedArgumentException) ex).getSuggestions() : List.of();
            MayflyError.Builder error = MayflyError.builder(ErrorCode.USAGE, message
                    + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?")
                    + " (see '" + name + " --help')");
            if (!suggestions.isEmpty()) {
                // For an agent to retry with: the commands or options closest to what was typed.
                error.detail("suggestions", suggestions);
            }
            return Output.forArgs(badArgs).fail(error.build());
        });
        cli.setExecutionStrategy(parseResult -> {
            Integer helped = HelpEnvelope.printIfRequested(parseResult);
            return helped != null ? helped : new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                Output.forArgs(parseResult.originalArgs().toArray(new String[0])).failure(ex));
        return cli;
    }
}

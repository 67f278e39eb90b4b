package dev.mayfly.cli.context;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code auth}, {@code token}...): run alone, it is a usage error. */
public abstract class GroupCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "'" + spec.qualifiedName() + "' needs a subcommand: "
                        + String.join(", ", spec.subcommands().keySet().stream().filter(s -> !s.equals("help")).toList()) + ".");
    }
}

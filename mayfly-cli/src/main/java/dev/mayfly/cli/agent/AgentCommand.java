package dev.mayfly.cli.agent;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly agent}: the broker's registry of agents (admin). */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Register, list, show, update and disable agents (needs mayfly:admin).",
                "Uses the bootstrap admin in $MAYFLY_HOME/admin.json when present, else the current credential."},
        subcommands = {CreateAgentCommand.class, ListAgentsCommand.class, ShowAgentCommand.class, UpdateAgentCommand.class,
                DisableAgentCommand.class})
public final class AgentCommand extends GroupCommand {
}

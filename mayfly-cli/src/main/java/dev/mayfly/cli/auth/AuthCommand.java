package dev.mayfly.cli.auth;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly auth}: the session of this agent with the broker. */
@Command(name = "auth", mixinStandardHelpOptions = true,
        description = "Log in, refresh, inspect and end this agent's session with the broker.",
        subcommands = {LoginCommand.class, RefreshCommand.class, StatusCommand.class, LogoutCommand.class})
public final class AuthCommand extends GroupCommand {
}

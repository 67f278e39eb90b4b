package dev.mayfly.cli.token;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly token}: task tokens. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Issue, inspect and revoke tokens.",
        subcommands = {IssueCommand.class, InspectCommand.class, RevokeCommand.class})
public final class TokenCommand extends GroupCommand {
}

package dev.mayfly.cli.revocations;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly revocations}: the broker's revocation feed. */
@Command(name = "revocations", mixinStandardHelpOptions = true,
        description = "Follow the broker's revocation feed.", subcommands = {WatchCommand.class})
public final class RevocationsCommand extends GroupCommand {
}

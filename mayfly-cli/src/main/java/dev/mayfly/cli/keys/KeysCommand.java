package dev.mayfly.cli.keys;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly keys}: the broker's signing keys (admin). */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "List and rotate the broker's signing keys (needs mayfly:admin).",
        subcommands = {ListKeysCommand.class, RotateKeysCommand.class})
public final class KeysCommand extends GroupCommand {
}

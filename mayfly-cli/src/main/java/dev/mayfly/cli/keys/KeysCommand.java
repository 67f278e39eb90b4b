package dev.mayfly.cli.keys;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly keys}: the broker's signing keys (admin). */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "List and rotate the broker's signing keys (needs mayfly:admin); rotate the master key (offline).",
        subcommands = {ListKeysCommand.class, RotateKeysCommand.class, RotateMasterKeyCommand.class})
public final class KeysCommand extends GroupCommand {
}

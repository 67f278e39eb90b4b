package dev.mayfly.cli.policy;

import dev.mayfly.cli.context.GroupCommand;
import picocli.CommandLine.Command;

/** {@code mayfly policy}: the lifetime policy, shown and linted. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Show the effective lifetime policy (a file's, or the broker's) and lint a policy file.",
        subcommands = {ShowPolicyCommand.class, CheckPolicyCommand.class})
public final class PolicyCommand extends GroupCommand {
}

package dev.mayfly.cli.audit;

import dev.mayfly.cli.context.DurationOption;
import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.server.audit.AuditChainConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code mayfly server}'s audit chain options: this node's id and where and how often it writes checkpoints. */
public final class AuditChainOptions {
    @Option(names = "--node-id", paramLabel = "ID",
            description = "This node's audit chain (a-z, 0-9, '.', '_', '-'; unique per running broker). Default: "
                    + "generated at first start and kept in the home directory (audit-node-id).")
    String nodeId;

    @Option(names = "--audit-checkpoint-dir", paramLabel = "DIR",
            description = "Also write this node's newest signed audit checkpoint here, outside the database, and "
                    + "check the checkpoints found here when verifying (default: the database only).")
    Path checkpointDir;

    @Option(names = "--audit-checkpoint-interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "Write a signed audit checkpoint at least this often (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--audit-checkpoint-records", paramLabel = "N", defaultValue = "10000",
            description = "...and after every N audit records this node appends (default: ${DEFAULT-VALUE}).")
    long records;

    public AuditChainConfig config() {
        try {
            return new AuditChainConfig(nodeId, checkpointDir,
                    DurationOption.parse(interval, "--audit-checkpoint-interval"), records);
        } catch (IllegalArgumentException e) {
            throw new MayflyException(ErrorCode.USAGE, "--audit-checkpoint-interval and --audit-checkpoint-records must be"
                    + " positive.");
        }
    }
}

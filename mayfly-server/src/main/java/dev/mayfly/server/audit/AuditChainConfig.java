package dev.mayfly.server.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How this node keeps its audit chain: its node id (null: the one stored in the home directory, generated on
 * first start), where checkpoints are also written outside the database (null: the database only), and how
 * often a checkpoint is written: every {@code checkpointInterval} and every {@code checkpointRecords} appends,
 * whichever comes first, and at clean shutdown.
 */
public record AuditChainConfig(String nodeId, Path checkpointDir, Duration checkpointInterval, long checkpointRecords) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);
    public static final long DEFAULT_RECORDS = 10_000;

    public static AuditChainConfig defaults() {
        return new AuditChainConfig(null, null, DEFAULT_INTERVAL, DEFAULT_RECORDS);
    }

    public AuditChainConfig {
        if (checkpointInterval == null || checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("the audit checkpoint interval must be positive");
        }
        if (checkpointRecords < 1) {
            throw new IllegalArgumentException("audit checkpoints must be written every 1 or more records");
        }
    }
}

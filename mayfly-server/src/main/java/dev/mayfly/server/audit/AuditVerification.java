package dev.mayfly.server.audit;

import java.util.List;

/**
 * The outcome of walking every node's audit chain and checking the checkpoints. {@code firstBadSeq} is the
 * global sequence number of the first record that does not fit (null when the problem is a missing tail or a
 * bad checkpoint); {@code headHash} is a digest of every node's head, to ship somewhere the database's owner
 * cannot write.
 */
public record AuditVerification(boolean valid, long checked, Long firstBadSeq, String problem, String headHash,
                                List<NodeChain> nodes, Checkpoints checkpoints) {

    /** One node's chain. {@code checkpointSeq}: the furthest record a valid checkpoint names (null: none). */
    public record NodeChain(String node, boolean keyed, long records, long headSeq, String headHash, Long checkpointSeq,
                            boolean valid, Long firstBadSeq, Long firstBadNodeSeq, String problem) {
    }

    /** The checkpoints read: from the database and from the checkpoint directory, and how many failed their MAC. */
    public record Checkpoints(long inDatabase, long inFiles, long invalid, String newestAt) {
    }
}

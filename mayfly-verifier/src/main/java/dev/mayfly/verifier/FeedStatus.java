package dev.mayfly.verifier;

import java.time.Instant;

/**
 * What a {@link RevocationFeedSubscriber} knows about its feed, for health checks and metrics.
 *
 * @param state         {@code CONNECTING} before the first event, {@code LIVE} while events or heartbeats
 *                      arrive within the staleness bound, {@code STALE} after
 * @param failMode      what a stale feed does to verification
 * @param lastSequence  the last revocation applied (0 before any)
 * @param brokerSequence the broker's latest sequence as of its last heartbeat (lag = this − lastSequence)
 * @param lastHeardAt   when the feed last said anything (event or heartbeat), or null
 * @param connectedTo   the broker URL of the current connection, or null
 * @param reconnects    how many times the stream was (re)opened
 * @param entries       revocations held in memory now
 * @param skipped       events passed over because this build could not apply them (an unknown revocation kind
 *                      or event type, a malformed revocation whose target was unreadable); each is logged, and
 *                      the subscriber stays in step past it rather than being sent it again forever
 */
public record FeedStatus(State state, FailMode failMode, long lastSequence, long brokerSequence, Instant lastHeardAt,
                         String connectedTo, long reconnects, int entries, long skipped) {

    /** The feed's liveness. */
    public enum State { CONNECTING, LIVE, STALE }

    /** What verification does while the feed is stale. */
    public enum FailMode {
        /** Reject every token ({@code UNAVAILABLE}, retryable): a revocation may have been missed. */
        CLOSED,
        /** Keep verifying with the revocations known so far. */
        OPEN
    }

    /** True when verification currently refuses tokens because of the feed. */
    public boolean rejecting() {
        return state != State.LIVE && failMode == FailMode.CLOSED;
    }
}

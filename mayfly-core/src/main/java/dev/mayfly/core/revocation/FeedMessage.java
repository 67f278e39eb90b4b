package dev.mayfly.core.revocation;

import java.time.Instant;

/** One event of the revocation feed, as {@link RevocationFeedCodec} reads it. */
public sealed interface FeedMessage {

    /** A revocation to apply. */
    record Revoked(RevocationEvent event) implements FeedMessage {
    }

    /** The feed is alive; {@code seq} is the newest revocation the broker has. */
    record Heartbeat(long seq, Instant at) implements FeedMessage {
    }

    /**
     * A revocation of a kind this build does not know: it cannot be applied, but its sequence number is
     * consumed, so a resumed stream does not send it again and the reader stays in step.
     */
    record UnknownKind(long seq, String kind) implements FeedMessage {
    }

    /** An event type this build does not know (a newer broker's); skipped. */
    record Ignored(String type) implements FeedMessage {
    }
}

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

    /**
     * The broker's last event on a stream: the credential that opened it stopped being valid (revoked or
     * expired). {@code code} is the catalog code saying why; the stream ends after it, and a subscriber
     * reconnects with a fresh token.
     */
    record Closed(String code, String message) implements FeedMessage {
    }

    /**
     * A revocation (or an event of unknown type carrying a sequence number as its id) that cannot be read in
     * full. Whatever could be read is kept, for a reader that must stay in step rather than stop: {@code seq}
     * (null when unreadable), {@code kind} and {@code target} (null when unreadable or unknown). {@code
     * problem} names the field that failed, never its value.
     */
    record Unreadable(Long seq, Revocation.Granularity kind, String target, String problem) implements FeedMessage {
    }

    /** An event type this build does not know (a newer broker's); skipped. */
    record Ignored(String type) implements FeedMessage {
    }
}

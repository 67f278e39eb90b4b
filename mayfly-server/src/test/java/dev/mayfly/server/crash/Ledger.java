package dev.mayfly.server.crash;

import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the broker told its clients before it was killed: the only promises a crash must keep. A revocation
 * counts once its 2xx answer arrived; a refresh token once the response carrying it arrived.
 */
final class Ledger {
    /** An acknowledged revocation as the client saw it: its sequence number and what it covers. */
    record Ack(long seq, String kind, String target) {
    }

    final Queue<Ack> acknowledged = new ConcurrentLinkedQueue<>();
    /** Per session, the newest refresh token the client holds (the one it would present next). */
    final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    /** Every access-token id the client received (session, refreshed and task tokens). */
    final Set<String> jtis = ConcurrentHashMap.newKeySet();
    /** Requests that got no answer because the broker died under them. */
    final AtomicInteger inFlightAtKill = new AtomicInteger();
    final AtomicInteger answered = new AtomicInteger();
}

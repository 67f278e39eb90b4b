package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.revocation.RevocationFeedCodec;
import dev.mayfly.core.time.ManualClock;
import dev.mayfly.core.token.AccessTokenClaims;
import dev.mayfly.verifier.fixtures.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/**
 * The subscriber against a scripted feed over a real socket: what a newer broker may send (a kind or an event
 * type this build does not know) is skipped without losing step; what cannot be read is never applied.
 */
class RevocationFeedSubscriberTest {
    static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");
    final ManualClock clock = new ManualClock(NOW);

    /** Answers every connection with the same events, then ends the stream; records each Last-Event-ID. */
    static final class ScriptedFeed extends Handler.Abstract {
        final byte[] body;
        final List<String> lastEventIds = new CopyOnWriteArrayList<>();
        /** Each connection's Upgrade header ("null" when absent): the feed is plain HTTP/1.1. */
        final List<String> upgrades = new CopyOnWriteArrayList<>();

        ScriptedFeed(byte[]... events) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] e : events) {
                out.writeBytes(e);
            }
            body = out.toByteArray();
        }

        /** Waits (real time: the subscriber reconnects on its own thread) until {@code n} connections were made. */
        synchronized boolean awaitConnections(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (lastEventIds.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            synchronized (this) {
                upgrades.add(String.valueOf(request.getHeaders().get("Upgrade")));
                lastEventIds.add(String.valueOf(request.getHeaders().get("Last-Event-ID")));
                notifyAll();
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }

    static byte[] sse(String type, String data) {
        return ("event: " + type + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    AccessTokenClaims token(String sessionId) {
        return new AccessTokenClaims("https://broker", "agt_1", List.of("a"), NOW.plusSeconds(600), NOW, NOW,
                "jti_1", "cid_1", List.of("s"), sessionId, null, null, null);
    }

    RevocationFeedSubscriber subscribe(TestServer server) {
        return subscribe(server, FeedStatus.FailMode.CLOSED);
    }

    RevocationFeedSubscriber subscribe(TestServer server, FeedStatus.FailMode mode) {
        return RevocationFeedSubscriber.builder().broker(server.uri("")).token(() -> "t").clock(clock).failMode(mode)
                .backoff(Duration.ofMillis(20), Duration.ofMillis(50)).build().start();
    }

    @Test
    void anUnknownKindIsSkippedAndItsSequenceConsumedWhileKnownOnesApply() throws Exception {
        String future = "{\"seq\":5,\"kind\":\"workload\",\"target\":\"w_1\",\"reason\":null,"
                + "\"revoked_at\":\"2026-12-07T16:00:00Z\",\"covers_until\":\"2026-12-07T16:10:00Z\"}";
        ScriptedFeed feed = new ScriptedFeed(
                sse("revocation", future),
                sse("key-rotation", "{\"kid\":\"k2\"}"),
                RevocationFeedCodec.encode(new RevocationEvent(6, Revocation.Granularity.SESSION, "ses_1", "logout",
                        NOW, NOW.plusSeconds(600))));
        try (TestServer server = TestServer.start(feed); RevocationFeedSubscriber subscriber = subscribe(server)) {
            assertThat(subscriber.awaitSequence(6, Duration.ofSeconds(10))).isTrue();
            assertThat(subscriber.find(token("ses_1"))).contains(new Revocation(Revocation.Granularity.SESSION, "logout"));
            assertThat(subscriber.find(token("ses_2"))).isEmpty();
            // a reconnect resumes after the last event, the skipped one included: nothing is asked for twice
            assertThat(feed.awaitConnections(2, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.lastEventIds.get(0)).isEqualTo("null");
            assertThat(feed.lastEventIds.subList(1, feed.lastEventIds.size())).containsOnly("6");
        }
    }

    static byte[] sse(String id, String type, String data) {
        return ("id: " + id + "\n" + new String(sse(type, data), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] session(long seq, String sessionId) {
        return RevocationFeedCodec.encode(new RevocationEvent(seq, Revocation.Granularity.SESSION, sessionId, "logout",
                NOW, NOW.plusSeconds(600)));
    }

    /**
     * Issue 18 item 7: a revocation whose kind this build cannot read at all (not a string) was a malformed
     * event: the subscriber threw, reconnected from the same Last-Event-ID and was sent it again, forever,
     * never reaching the revocations after it. It is skipped, counted, and its sequence consumed.
     */
    @Test
    void aRevocationWhoseKindCannotBeReadIsSkippedCountedAndTheFeedMovesOn() throws Exception {
        ScriptedFeed feed = new ScriptedFeed(
                sse("revocation", "{\"seq\":5,\"kind\":{\"v\":2,\"name\":\"workload\"},\"target\":\"w_1\"}"),
                session(6, "ses_1"));
        try (TestServer server = TestServer.start(feed); RevocationFeedSubscriber subscriber = subscribe(server)) {
            assertThat(subscriber.awaitSequence(6, Duration.ofSeconds(10))).as("the feed went past the event").isTrue();
            assertThat(subscriber.find(token("ses_1"))).contains(new Revocation(Revocation.Granularity.SESSION, "logout"));
            assertThat(feed.awaitConnections(3, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.lastEventIds.subList(1, feed.lastEventIds.size())).as("never asked for again").containsOnly("6");
            assertThat(subscriber.status().skipped()).isPositive();
            assertThat(feed.upgrades).as("no Upgrade: h2c on the feed request").containsOnly("null");
        }
    }

    /** An event of an unknown type that carries a sequence number as its id is consumed, so it is not asked for again. */
    @Test
    void anUnknownEventTypeWithASequenceIdIsConsumedAndCounted() throws Exception {
        ScriptedFeed feed = new ScriptedFeed(session(6, "ses_1"),
                sse("7", "revocation-batch", "{\"seq\":7,\"items\":[]}"));
        try (TestServer server = TestServer.start(feed); RevocationFeedSubscriber subscriber = subscribe(server)) {
            assertThat(subscriber.awaitSequence(7, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.awaitConnections(3, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.lastEventIds.subList(1, feed.lastEventIds.size())).containsOnly("7");
            assertThat(subscriber.status().skipped()).isPositive();
        }
    }

    /**
     * A malformed revocation is never replayed forever either. One whose kind and target can be read is applied
     * conservatively (what it names is refused) and its sequence consumed; one whose target cannot be read is
     * skipped and counted. The feed stays live, so fail-closed does not refuse every token over one bad event.
     */
    @Test
    void anUnreadableRevocationIsAppliedConservativelyOrSkippedButNeverReplayedForever() throws Exception {
        String badTime = "{\"seq\":1,\"kind\":\"session\",\"target\":\"ses_1\",\"revoked_at\":\"2026-12-07T16:00:00Z\","
                + "\"covers_until\":\"soon\"}";
        String noTarget = "{\"seq\":2,\"kind\":\"session\",\"revoked_at\":\"2026-12-07T16:00:00Z\"}";
        ScriptedFeed feed = new ScriptedFeed(sse("revocation", badTime), sse("revocation", noTarget));
        // fail-open, so the lookup after the clock jump below reads the set, not the feed's staleness
        try (TestServer server = TestServer.start(feed);
             RevocationFeedSubscriber subscriber = subscribe(server, FeedStatus.FailMode.OPEN)) {
            assertThat(subscriber.awaitSequence(2, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.awaitConnections(3, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.lastEventIds.subList(1, feed.lastEventIds.size())).containsOnly("2");
            assertThat(subscriber.find(token("ses_1"))).as("applied although its covers_until was unreadable")
                    .contains(new Revocation(Revocation.Granularity.SESSION, null));
            clock.advance(Duration.ofHours(1));
            assertThat(subscriber.find(token("ses_1"))).as("and kept longer than any token lives").isPresent();
            assertThat(subscriber.status().skipped()).as("the one without a target").isPositive();
        }
    }
}

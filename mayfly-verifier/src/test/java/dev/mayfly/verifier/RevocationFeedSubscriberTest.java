package dev.mayfly.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
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
        return RevocationFeedSubscriber.builder().broker(server.uri("")).token(() -> "t").clock(clock)
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

    @Test
    void anUnreadableRevocationIsNeverTakenAsProgress() throws Exception {
        String broken = "{\"seq\":1,\"kind\":\"session\",\"target\":\"ses_1\",\"revoked_at\":\"2026-12-07T16:00:00Z\","
                + "\"covers_until\":\"soon\"}";
        ScriptedFeed feed = new ScriptedFeed(sse("revocation", broken));
        try (TestServer server = TestServer.start(feed); RevocationFeedSubscriber subscriber = subscribe(server)) {
            assertThat(feed.awaitConnections(3, Duration.ofSeconds(10))).isTrue();
            assertThat(feed.lastEventIds).hasSizeGreaterThanOrEqualTo(3).containsOnly("null");
            assertThat(subscriber.status().lastSequence()).isZero();
            assertThatThrownBy(() -> subscriber.find(token("ses_1")))
                    .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        }
    }
}

package dev.mayfly.server.api;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.revocation.FeedMessage;
import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.core.revocation.RevocationFeedCodec;
import dev.mayfly.server.console.ConsoleAuth;
import dev.mayfly.server.http.HttpExchange;
import dev.mayfly.server.http.Route;
import dev.mayfly.server.metrics.BrokerMetrics;
import dev.mayfly.server.revocation.RevocationFeed;
import dev.mayfly.server.store.Stores;
import dev.mayfly.verifier.BearerTokens;
import dev.mayfly.verifier.DpopTokens;
import dev.mayfly.verifier.Decision;
import dev.mayfly.verifier.TokenVerifier;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/revocations/stream}: the revocation log as server-sent events (WHATWG HTML §9.2). Each
 * event is {@code id: <seq>}, {@code event: revocation}, {@code data: <record JSON>}. A client resumes with
 * {@code Last-Event-ID} (or {@code ?since=SEQ}) and misses nothing; a client that gives neither first gets
 * every revocation still covering live tokens, then the live tail. Between revocations a
 * {@code heartbeat} event carrying the latest sequence number tells the subscriber the feed is alive.
 *
 * <p>Events are read from the store in sequence order after each wake-up, never taken from the
 * notification itself, so concurrent revocations cannot reach a subscriber out of order or be skipped.
 *
 * <p>A stream lives no longer than the credential that opened it: after every wake-up (a revocation or a
 * heartbeat) the token is verified again, and once it is revoked (its jti, session, task or agent) or
 * expired, a last {@code closed} event carries the catalog error saying why and the response ends. Without
 * this a stream opened with a stolen or short-lived token would go on delivering events indefinitely.
 */
final class RevocationStreamApi implements Route {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationStreamApi.class);
    private static final int BATCH = 500;

    private final TokenVerifier anyAudience;
    private final Stores stores;
    private final RevocationFeed feed;
    private final BrokerMetrics metrics;
    private final Clock clock;
    private final Duration heartbeat;

    RevocationStreamApi(TokenVerifier anyAudience, Stores stores, RevocationFeed feed, BrokerMetrics metrics, Clock clock,
                        Duration heartbeat) {
        this.anyAudience = anyAudience;
        this.stores = stores;
        this.feed = feed;
        this.metrics = metrics;
        this.clock = clock;
        this.heartbeat = heartbeat;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        RevocationsApi.requireReader(V1Auth.require(ex, anyAudience, List.of()));
        String authorization = ex.header("Authorization");
        String bearer = BearerTokens.fromAuthorizationHeader(authorization);
        String token = bearer != null ? bearer
                : authorization != null ? DpopTokens.fromAuthorizationHeader(authorization) : ConsoleAuth.presentedToken(ex);
        Long resumeFrom = resumePoint(ex);
        ex.startStream(200, "text/event-stream; charset=utf-8", Map.of("X-Accel-Buffering", "no"));
        try (BrokerMetrics.StreamPosition position = metrics.subscriberOpened()) {
            long last = resumeFrom != null ? resumeFrom : sendActive(ex);
            while (!feed.closed()) {
                List<RevocationEvent> batch = readAfter(last);
                for (RevocationEvent r : batch) {
                    send(ex, r);
                    last = r.seq();
                }
                position.sent(last);
                Optional<MayflyError> ended = credentialEnded(token);
                if (ended.isPresent()) {
                    ex.writeChunk(RevocationFeedCodec.encodeClosed(ended.get()));
                    LOG.debug("revocation stream {} closed: its credential is {}", ex.requestId(), ended.get().code());
                    return;
                }
                if (batch.size() == BATCH) {
                    continue;
                }
                if (!feed.awaitAfter(last, heartbeat) && !feed.closed()) {
                    sendHeartbeat(ex, last);
                }
            }
        } catch (IOException e) {
            LOG.debug("revocation stream {} ended: {}", ex.requestId(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.endStream();
        }
    }

    /**
     * What is new after {@code last}. While the database is unreachable nothing new can have been committed
     * by any node, so the stream stays open and keeps its heartbeat instead of ending.
     */
    private List<RevocationEvent> readAfter(long last) {
        try {
            return stores.db().read(c -> stores.revocations().since(c, last, BATCH));
        } catch (MayflyException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) {
                throw e;
            }
            return List.of();
        }
    }

    /**
     * Why the stream's credential is no longer good enough to keep it open (revoked, expired, its key
     * rotated out), or empty while it is. The verifier caches the signature check, so this costs a lookup.
     */
    private Optional<MayflyError> credentialEnded(String token) {
        // Its presentation (and DPoP proof) was checked when the stream opened; what can end it now is time or revocation.
        Decision d = anyAudience.verifyIgnoringBinding(token, List.of());
        // Only a verdict on the credential ends the stream; a transient failure (UNAVAILABLE) does not.
        return d.allowed() || !d.error().code().isAuth() ? Optional.empty() : Optional.of(d.error());
    }

    /** Sends the revocations still in force and returns the sequence to continue after. */
    private long sendActive(HttpExchange ex) throws IOException {
        long latest = stores.db().read(c -> stores.revocations().latestSeq(c));
        for (RevocationEvent r : stores.db().read(c -> stores.revocations().active(c, clock.instant()))) {
            if (r.seq() <= latest) {
                send(ex, r);
            }
        }
        return latest;
    }

    private static Long resumePoint(HttpExchange ex) {
        String lastEventId = ex.header("Last-Event-ID");
        String since = lastEventId != null ? lastEventId : ex.query().getOrDefault("since", List.of()).stream().findFirst().orElse(null);
        return since == null || since.isBlank() ? null : RevocationsApi.parseLong(since.trim(), "Last-Event-ID / since");
    }

    private static void send(HttpExchange ex, RevocationEvent r) throws IOException {
        ex.writeChunk(RevocationFeedCodec.encode(r));
    }

    private void sendHeartbeat(HttpExchange ex, long last) throws IOException {
        ex.writeChunk(RevocationFeedCodec.encode(new FeedMessage.Heartbeat(last, clock.instant())));
    }
}

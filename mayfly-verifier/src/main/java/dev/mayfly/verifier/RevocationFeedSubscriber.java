package dev.mayfly.verifier;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.http.SseEvents;
import dev.mayfly.core.revocation.FeedMessage;
import dev.mayfly.core.revocation.Revocation;
import dev.mayfly.core.revocation.RevocationFeedCodec;
import dev.mayfly.core.revocation.RevocationSet;
import dev.mayfly.core.revocation.RevocationSource;
import dev.mayfly.core.token.AccessTokenClaims;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link RevocationSource} fed by the broker's revocation stream ({@code GET /v1/revocations/stream},
 * server-sent events). It connects to one of several broker URLs, resumes after any disconnect from the
 * last sequence it applied ({@code Last-Event-ID}), so no revocation is missed across disconnects or broker
 * restarts, and reconnects with capped exponential backoff and full jitter, rotating through the URLs.
 * Entries leave memory once every token they cover has expired.
 *
 * <p>When nothing (event or heartbeat) has been heard for longer than the staleness bound, the feed is
 * {@code STALE}: in {@link FeedStatus.FailMode#CLOSED} every lookup fails, which the verifier turns into a
 * retryable {@code UNAVAILABLE}; in {@code OPEN} verification continues with what is known. Thread-safe.
 */
public final class RevocationFeedSubscriber implements RevocationSource, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RevocationFeedSubscriber.class.getName());

    private final List<URI> streams;
    private final Supplier<String> token;
    private final Clock clock;
    private final Duration staleAfter;
    private final FeedStatus.FailMode failMode;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http;
    private final RevocationSet set;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private volatile long lastSequence;
    private volatile long brokerSequence;
    private volatile Instant lastHeardAt;
    private volatile String connectedTo;
    private volatile long reconnects;
    private volatile boolean closed;
    private volatile HttpResponse<Stream<String>> current;
    private final Thread worker;
    /** Revocation kinds already warned about, so a newer broker's kind is logged once, not per event. */
    private final Set<String> unknownKinds = ConcurrentHashMap.newKeySet();
    /** Events passed over unapplied (see {@link FeedStatus#skipped()}). */
    private final AtomicLong skipped = new AtomicLong();
    /**
     * How long a revocation whose {@code covers_until} could not be read is kept: longer than any Mayfly
     * token lives (the session bounds them, 30 minutes by default), so what it names stays refused.
     */
    static final Duration UNREADABLE_COVERS = Duration.ofHours(24);

    private RevocationFeedSubscriber(Builder b) {
        this.streams = b.brokers.stream().map(u -> URI.create(u.toString().replaceAll("/+$", "") + "/v1/revocations/stream")).toList();
        this.token = b.token;
        this.clock = b.clock;
        this.staleAfter = b.staleAfter;
        this.failMode = b.failMode;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        // HTTP/1.1 as the JWKS source and the broker's other clients: no "Upgrade: h2c" offered on plain http.
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER);
        if (b.sslContext != null) {
            http.sslContext(b.sslContext);
        }
        this.http = http.build();
        this.set = new RevocationSet(clock);
        this.worker = new Thread(this::run, "mayfly-revocation-feed");
        this.worker.setDaemon(true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts following the feed in a background thread. */
    public RevocationFeedSubscriber start() {
        worker.start();
        return this;
    }

    @Override
    public Optional<Revocation> find(AccessTokenClaims claims) {
        if (failMode == FeedStatus.FailMode.CLOSED && state() != FeedStatus.State.LIVE) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE,
                            "The revocation feed is " + state().name().toLowerCase(Locale.ROOT)
                                    + "; tokens are refused until it is live again.")
                    .retryAfterMs(1000)
                    .build());
        }
        return set.find(claims);
    }

    public FeedStatus status() {
        return new FeedStatus(state(), failMode, lastSequence, Math.max(brokerSequence, lastSequence), lastHeardAt,
                connectedTo, reconnects, set.size(), skipped.get());
    }

    private FeedStatus.State state() {
        Instant heard = lastHeardAt;
        if (heard == null) {
            return FeedStatus.State.CONNECTING;
        }
        return clock.instant().isAfter(heard.plus(staleAfter)) ? FeedStatus.State.STALE : FeedStatus.State.LIVE;
    }

    /**
     * Waits (real time) until the revocation with sequence {@code seq} has been applied.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitSequence(long seq, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (lastSequence < seq) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = progress.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Drops entries whose tokens have all expired; call periodically (the subscriber also does after events). */
    public int prune() {
        return set.prune();
    }

    private void run() {
        int failures = 0;
        int next = 0;
        while (!closed) {
            URI uri = streams.get(next % streams.size());
            try {
                follow(uri);
                failures = 0;
            } catch (IOException | RuntimeException e) {
                failures++;
                LOG.log(System.Logger.Level.DEBUG, "revocation feed " + uri + " failed: " + e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            connectedTo = null;
            next++;
            if (!closed && !pause(backoff(failures))) {
                return;
            }
        }
    }

    private void follow(URI uri) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET()
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token.get());
        if (lastSequence > 0) {
            request.header("Last-Event-ID", Long.toString(lastSequence));
        }
        HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        current = response;
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("feed answered HTTP " + response.statusCode());
        }
        reconnects++;
        connectedTo = uri.toString();
        SseEvents events = new SseEvents((type, id, data) -> {
            onEvent(type, id, data);
            return true; // the stream's own end (or close()) stops the reading
        });
        try (Stream<String> lines = response.body()) {
            lines.forEach(events::line);
        }
        if (!closed) {
            throw new IOException("feed stream ended");
        }
    }

    /**
     * Applies one feed event, and never throws: an event the subscriber stopped on would be sent again on
     * every reconnect (it resumes from the same {@code Last-Event-ID}), wedging the feed forever; with fail-open
     * every later revocation would then be missed. So:
     * <ul>
     *   <li>a revocation of a kind this build does not know is skipped, counted, logged (once per kind), and
     *       its sequence consumed;</li>
     *   <li>an event of an unknown type is ignored; if its {@code id} is a sequence number, that is consumed
     *       and counted too;</li>
     *   <li>a malformed revocation whose kind and target can be read is applied anyway, conservatively (kept
     *       for {@link #UNREADABLE_COVERS} when its {@code covers_until} cannot be read), so nothing it names
     *       is accepted; one whose target cannot be read is skipped, counted and logged. Either way its
     *       sequence, when readable, is consumed.</li>
     * </ul>
     */
    private void onEvent(String type, String id, String data) {
        FeedMessage message = RevocationFeedCodec.decodeLeniently(type, id, data);
        if (message instanceof FeedMessage.Revoked r) {
            set.add(r.event());
            advance(r.event().seq());
        } else if (message instanceof FeedMessage.UnknownKind u) {
            skipped.incrementAndGet();
            if (unknownKinds.size() < 16 && unknownKinds.add(u.kind())) {
                // The kind is echoed only when it looks like a wire name: the log never carries arbitrary feed text.
                String kind = u.kind().matches("[a-z_-]{1,32}") ? "\"" + u.kind() + "\"" : "(unprintable)";
                LOG.log(System.Logger.Level.WARNING, "revocation feed: skipping revocations of unknown kind " + kind
                        + " (a newer broker?); upgrade mayfly-verifier to apply them");
            }
            advance(u.seq());
        } else if (message instanceof FeedMessage.Unreadable u) {
            onUnreadable(u);
        } else if (message instanceof FeedMessage.Heartbeat h) {
            brokerSequence = Math.max(brokerSequence, h.seq());
            advance(lastSequence);
            set.prune();
        } else if (message instanceof FeedMessage.Closed c) {
            // The token this connection was opened with stopped being valid; the stream ends next and the
            // subscriber reconnects with a fresh one from its supplier.
            LOG.log(System.Logger.Level.INFO, "revocation feed: the broker closed the stream ("
                    + (c.code().matches("[A-Z_]{1,40}") ? c.code() : "unknown reason") + "); reconnecting with a fresh token");
        }
        // FeedMessage.Ignored: an event type of a newer broker without a sequence; nothing to apply or consume
    }

    private void onUnreadable(FeedMessage.Unreadable u) {
        boolean applied = u.kind() != null && u.target() != null;
        if (applied) {
            set.add(u.kind(), u.target(), null, clock.instant().plus(UNREADABLE_COVERS));
        } else {
            skipped.incrementAndGet();
        }
        // The problem names a field, never a value: the log carries no feed text.
        LOG.log(System.Logger.Level.WARNING, "revocation feed: event " + (u.seq() == null ? "(no sequence)" : u.seq())
                + " could not be read in full (" + u.problem() + "); "
                + (applied ? "applied conservatively" : "skipped") + " and moving on");
        if (u.seq() != null) {
            advance(u.seq());
        }
    }

    private void advance(long seq) {
        lock.lock();
        try {
            lastHeardAt = clock.instant();
            if (seq > lastSequence) {
                lastSequence = seq;
                brokerSequence = Math.max(brokerSequence, seq);
            }
            progress.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private Duration backoff(int failures) {
        if (failures == 0) {
            return Duration.ZERO;
        }
        long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(failures - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1)); // full jitter
    }

    /** Waits before reconnecting; close() cuts the wait short. False when closed. */
    private boolean pause(Duration d) {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (nanos > 0 && !closed) {
                nanos = progress.awaitNanos(nanos);
            }
            return !closed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Cuts the current connection (tests, and a way to force a reconnect to another broker). */
    public void disconnect() {
        HttpResponse<Stream<String>> r = current;
        if (r != null) {
            r.body().close();
        }
    }

    @Override
    public void close() {
        closed = true;
        disconnect();
        lock.lock();
        try {
            progress.signalAll();
        } finally {
            lock.unlock();
        }
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Configures a {@link RevocationFeedSubscriber}. Not thread-safe. */
    public static final class Builder {
        private final List<URI> brokers = new ArrayList<>();
        private Supplier<String> token;
        private Clock clock = Clock.systemUTC();
        private Duration staleAfter = Duration.ofSeconds(60);
        private FeedStatus.FailMode failMode = FeedStatus.FailMode.CLOSED;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private javax.net.ssl.SSLContext sslContext;

        private Builder() {
        }

        /** The trust for an https broker whose certificate is not from a CA the JDK trusts (default: the JDK's). */
        public Builder sslContext(javax.net.ssl.SSLContext sslContext) {
            this.sslContext = Objects.requireNonNull(sslContext);
            return this;
        }

        /** A broker base URL (e.g. {@code https://broker.example}); several are tried in turn. */
        public Builder broker(URI baseUrl) {
            brokers.add(Objects.requireNonNull(baseUrl));
            return this;
        }

        /** Supplies a current access token with scope {@code mayfly:revocations:read} for each connection. */
        public Builder token(Supplier<String> token) {
            this.token = Objects.requireNonNull(token);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Silence longer than this makes the feed stale; keep it several heartbeats long (default 60 s). */
        public Builder staleAfter(Duration d) {
            this.staleAfter = Objects.requireNonNull(d);
            return this;
        }

        public Builder failMode(FeedStatus.FailMode mode) {
            this.failMode = Objects.requireNonNull(mode);
            return this;
        }

        /** Reconnect backoff: full jitter over an exponentially growing cap (defaults 200 ms to 30 s). */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial);
            this.maxBackoff = Objects.requireNonNull(max);
            return this;
        }

        public RevocationFeedSubscriber build() {
            if (brokers.isEmpty()) {
                throw new IllegalStateException("at least one broker URL is required");
            }
            if (token == null) {
                throw new IllegalStateException("a token supplier is required");
            }
            return new RevocationFeedSubscriber(this);
        }
    }
}

package dev.mayfly.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines for clients that send slowly (slowloris). Jetty's idle timeout only bounds the gap between two
 * reads, so a client sending one header byte every few seconds could hold a connection (and its buffers)
 * forever, and one dribbling a body would hold a handler thread. This guard bounds the whole arrival:
 * <ul>
 * <li>a new connection must deliver its first request's headers within the timeout of opening (the TLS
 *     handshake included); after a response, the next request's headers must arrive within the timeout of
 *     their first byte (checked every quarter timeout, so the cut comes at most a quarter late); a
 *     connection that breaks this is closed;</li>
 * <li>a request's body must arrive within the timeout of its headers; a body read past that fails, and the
 *     request is answered as a bad request.</li>
 * </ul>
 * Register it both as a connector bean (it watches connections) and as the server's handler wrapper (it sees
 * requests start and end). Network deadlines run on real time, like Jetty's own timeouts. Thread-safe.
 */
public final class SlowRequestGuard extends Handler.Wrapper implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SlowRequestGuard.class);

    private final long timeoutNanos;
    private final long tickNanos;
    private final Scheduler scheduler;
    private final Map<Connection, Watch> watches = new ConcurrentHashMap<>();

    public SlowRequestGuard(Duration timeout, Scheduler scheduler, Handler handler) {
        super(handler);
        this.timeoutNanos = timeout.toNanos();
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), timeoutNanos / 4);
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof SslConnection) {
            return; // the HTTP connection inside it is watched, from the same moment
        }
        Watch w = new Watch(connection);
        watches.put(connection, w);
        w.opened();
    }

    @Override
    public void onClosed(Connection connection) {
        Watch w = watches.remove(connection);
        if (w != null) {
            w.closed();
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Watch w = watches.get(request.getConnectionMetaData().getConnection());
        if (w == null) {
            return super.handle(new BodyDeadline(request), response, callback);
        }
        w.requestStarted();
        Callback done = Callback.from(callback, w::requestEnded);
        boolean handled;
        try {
            handled = super.handle(new BodyDeadline(request), response, done);
        } catch (Exception | Error e) {
            w.requestEnded();
            throw e;
        }
        if (!handled) {
            w.requestEnded();
        }
        return handled;
    }

    /** One connection's state: requests in progress, and when its next request must have arrived. */
    private final class Watch implements Runnable {
        private final Connection connection;
        private int active;
        private long bytesAtIdle;
        private long deadline; // System.nanoTime() by which the awaited headers must be in; 0 = no bytes yet
        private Scheduler.Task tick;
        private boolean closed;

        Watch(Connection connection) {
            this.connection = connection;
        }

        synchronized void opened() {
            deadline = System.nanoTime() + timeoutNanos;
            schedule();
        }

        synchronized void requestStarted() {
            active++;
            deadline = 0;
            cancel();
        }

        synchronized void requestEnded() {
            active--;
            if (active == 0 && !closed) {
                bytesAtIdle = connection.getBytesIn();
                deadline = 0;
                schedule();
            }
        }

        synchronized void closed() {
            closed = true;
            cancel();
        }

        @Override
        public void run() {
            synchronized (this) {
                tick = null;
                if (closed || active > 0) {
                    return;
                }
                long now = System.nanoTime();
                if (deadline == 0 && connection.getBytesIn() > bytesAtIdle) {
                    deadline = now + timeoutNanos; // the next request has begun to arrive
                }
                if (deadline == 0 || now - deadline < 0) {
                    schedule();
                    return;
                }
                closed = true;
            }
            LOG.info("closing a connection from {}: request not received within {} ms",
                    connection.getEndPoint().getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
            // The endpoint, not the connection: closing the HTTP connection mid-request makes Jetty answer 500.
            connection.getEndPoint().close(new TimeoutException("request not received in time"));
        }

        private void schedule() {
            tick = scheduler.schedule(this, tickNanos, TimeUnit.NANOSECONDS);
        }

        private void cancel() {
            if (tick != null) {
                tick.cancel();
                tick = null;
            }
        }
    }

    /** The request as the handlers see it: its body reads fail once the body deadline has passed. */
    private final class BodyDeadline extends Request.Wrapper {
        private final long deadline = System.nanoTime() + timeoutNanos;

        BodyDeadline(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            if (System.nanoTime() - deadline >= 0) {
                return Content.Chunk.from(new TimeoutException("request body not received in time"), true);
            }
            return super.read();
        }

        @Override
        public void demand(Runnable onContent) {
            // Wake the reader at the deadline even if no byte comes: its next read() then fails.
            AtomicBoolean fired = new AtomicBoolean();
            Runnable once = () -> {
                if (fired.compareAndSet(false, true)) {
                    onContent.run();
                }
            };
            Scheduler.Task timer = scheduler.schedule(once, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            super.demand(() -> {
                timer.cancel();
                once.run();
            });
        }
    }
}

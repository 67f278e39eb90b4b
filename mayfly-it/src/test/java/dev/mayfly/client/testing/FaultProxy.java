package dev.mayfly.client.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP proxy in front of a real broker that the test controls. It handles one HTTP/1.1 request
 * per connection (it forwards the request with {@code Connection: close}, so the broker and the client
 * close after each exchange), which makes every fault apply to whole requests:
 *
 * <ul>
 *   <li>{@link #refuse()}: stops listening, so connections are refused; {@link #pass()} listens again on
 *       the same port;</li>
 *   <li>{@link #delay(Duration)}: holds each request that long before forwarding it;</li>
 *   <li>{@link #dropResponses(int)}: forwards the next requests, lets the broker act on them, and cuts the
 *       connection after the first bytes of the answer;</li>
 *   <li>{@link #serve503(int)}: answers the next requests itself with {@code 503} and {@code Retry-After: 1}.</li>
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final int targetPort;
    private final AtomicReference<ServerSocket> server = new AtomicReference<>();
    private volatile Thread acceptor;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private volatile int port;
    private volatile boolean closed;

    public FaultProxy(int targetPort) {
        this.targetPort = targetPort;
        listen(0);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Requests received (whatever was done with them). */
    public int requests() {
        return requests.get();
    }

    /** Requests passed on to the broker. */
    public int forwarded() {
        return forwarded.get();
    }

    public synchronized void refuse() {
        ServerSocket s = server.getAndSet(null);
        if (s != null) {
            try {
                s.close();
                // The JDK defers closing a server socket that a thread is blocked accepting on until that
                // thread wakes: wait for it, or a connection made right after this could still be accepted.
                acceptor.join(5_000);
            } catch (IOException e) {
                // closing anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket c : open) {
            closeQuietly(c);
        }
    }

    public synchronized void pass() {
        drops.set(0);
        unavailable.set(0);
        delay.set(Duration.ZERO);
        if (server.get() == null) {
            listen(port);
        }
    }

    public void delay(Duration d) {
        delay.set(d);
    }

    public void dropResponses(int n) {
        drops.set(n);
    }

    public void serve503(int n) {
        unavailable.set(n);
    }

    private void listen(int onPort) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            port = s.getLocalPort();
            server.set(s);
            Thread t = new Thread(() -> accept(s), "fault-proxy-accept");
            t.setDaemon(true);
            acceptor = t;
            t.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + onPort, e);
        }
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                open.add(client);
                Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            byte[] request = readRequest(client.getInputStream());
            if (request == null) {
                return;
            }
            requests.incrementAndGet();
            if (take(unavailable)) {
                byte[] body = "upstream unavailable".getBytes(StandardCharsets.US_ASCII);
                OutputStream out = client.getOutputStream();
                out.write(("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nRetry-After: 1\r\nContent-Length: "
                        + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                return;
            }
            Duration d = delay.get();
            if (!d.isZero()) {
                Thread.sleep(d.toMillis()); // simulated network latency, not a test waiting for time to pass
            }
            boolean drop = take(drops);
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort)) {
                open.add(upstream);
                upstream.getOutputStream().write(request);
                upstream.getOutputStream().flush();
                forwarded.incrementAndGet();
                InputStream in = upstream.getInputStream();
                OutputStream out = client.getOutputStream();
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (drop) {
                        // the broker has answered (and acted); the client gets a torn status line and nothing more
                        out.write(buf, 0, Math.min(n, 12));
                        out.flush();
                        return;
                    }
                    out.write(buf, 0, n);
                }
                out.flush();
            } finally {
                open.removeIf(Socket::isClosed);
            }
        } catch (IOException e) {
            // the client or the test cut the connection
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    private static boolean take(AtomicInteger counter) {
        while (true) {
            int n = counter.get();
            if (n <= 0) {
                return false;
            }
            if (counter.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    /** Reads one request (head and Content-Length body) and rewrites it to close the connection after. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
            if (head.size() > MAX_HEAD) {
                throw new IOException("request head too large");
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        StringBuilder rewritten = new StringBuilder();
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("connection:")) {
                continue;
            }
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
            }
            rewritten.append(line).append("\r\n");
        }
        rewritten.append("Connection: close\r\n\r\n");
        byte[] body = in.readNBytes(length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        return out.toByteArray();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        refuse();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + port + " -> " + targetPort + (closed ? ", closed" : "") + "]";
    }
}

package dev.mayfly.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP receiver on a real loopback socket that records each request exactly as it arrived (request line
 * and every header line, in order), for tests that care about what a request carries, not only what a
 * server library chooses to show. In {@link Mode#ANSWER} it answers {@code 204} and closes; in
 * {@link Mode#HANG} it reads the request and then never answers, holding the connection until closed.
 */
public final class RawHttpReceiver implements AutoCloseable {
    public enum Mode { ANSWER, HANG }

    /** One request as received: its request line, its header lines and its body. */
    public record Request(String requestLine, List<String> headerLines, byte[] body) {
        /** The header names, lower-cased. */
        public List<String> headerNames() {
            return headerLines.stream().map(l -> l.substring(0, l.indexOf(':')).trim().toLowerCase(Locale.ROOT)).toList();
        }
    }

    private final ServerSocket server;
    private final Mode mode;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public RawHttpReceiver(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "raw-http-receiver");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public List<Request> requests() {
        return requests;
    }

    /** Waits (real time, a guard against hanging, not a measurement) until {@code n} requests have arrived. */
    public synchronized boolean awaitRequests(int n, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (requests.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void record(Request r) {
        requests.add(r);
        notifyAll();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "raw-http-receiver-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    s.close();
                    return;
                }
                List<String> headers = new ArrayList<>();
                int length = 0;
                for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
                    headers.add(line);
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                byte[] body = in.readNBytes(length);
                record(new Request(requestLine, headers, body));
                if (mode == Mode.HANG) {
                    held.add(s);
                    return;
                }
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(s);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing a test socket
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        held.forEach(RawHttpReceiver::closeQuietly);
    }
}

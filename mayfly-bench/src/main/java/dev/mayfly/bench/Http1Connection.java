package dev.mayfly.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * One keep-alive HTTP/1.1 connection over a blocking socket, for the closed loop's workers: a request is
 * written in one call and its response read straight off the stream, with no selector thread, executor
 * hand-off or future in between. The JDK's HttpClient spent ~200 µs of CPU per request in the load
 * generator (BENCHMARKS.md), on the same two cores the broker under test runs on; this is what wrk-style
 * load generators do instead. Plain HTTP only (the bench drives loopback brokers); reconnects when the
 * server closes the connection.
 */
final class Http1Connection implements Closeable {
    private final InetSocketAddress address;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    Http1Connection(URI base) {
        if (!"http".equals(base.getScheme())) {
            throw new IllegalArgumentException("the socket client speaks plain http only, not " + base.getScheme());
        }
        int port = base.getPort() == -1 ? 80 : base.getPort();
        address = new InetSocketAddress(base.getHost(), port);
        hostHeader = base.getHost() + ":" + port;
    }

    record Response(int status, String body) {
    }

    Response send(BenchRequest request) throws IOException {
        byte[] body = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
        byte[] head = head(request, body.length);
        byte[] wire = new byte[head.length + body.length];
        System.arraycopy(head, 0, wire, 0, head.length);
        System.arraycopy(body, 0, wire, head.length, body.length);
        for (int attempt = 0; ; attempt++) {
            boolean reused = socket != null;
            try {
                if (socket == null) {
                    connect();
                }
                write(wire);
                return read();
            } catch (ClosedBeforeAnswer e) {
                close();
                // A kept-alive connection the server had closed: the request never reached it, so one retry on
                // a new connection is safe (also for a refresh, which must never be sent twice).
                if (!reused || attempt > 0) {
                    throw e;
                }
            } catch (IOException e) {
                close();
                throw e;
            }
        }
    }

    private void write(byte[] wire) throws ClosedBeforeAnswer {
        try {
            out.write(wire);
            out.flush();
        } catch (IOException e) {
            throw new ClosedBeforeAnswer(); // a reset or broken pipe: the server has this connection no more
        }
    }

    /** The server closed the connection before any byte of the answer. */
    private static final class ClosedBeforeAnswer extends IOException {
        ClosedBeforeAnswer() {
            super("the server closed the connection before answering");
        }
    }

    private byte[] head(BenchRequest r, int length) {
        StringBuilder s = new StringBuilder(256);
        String path = r.uri().getRawPath() + (r.uri().getRawQuery() == null ? "" : "?" + r.uri().getRawQuery());
        s.append(r.method()).append(' ').append(path.isEmpty() ? "/" : path).append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            s.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (r.body() != null || !r.method().equals("GET")) {
            s.append("Content-Length: ").append(length).append("\r\n");
        }
        return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(address, 5_000);
        socket.setSoTimeout(30_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private Response read() throws IOException {
        int first = in.read();
        if (first == -1) {
            throw new ClosedBeforeAnswer();
        }
        String statusLine = (char) first + line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1 response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = statusLine.startsWith("HTTP/1.0");
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        String body;
        if (chunked) {
            body = chunkedBody();
        } else if (length >= 0) {
            body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        } else {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8); // delimited by the close
            close = true;
        }
        if (close) {
            close();
        }
        return new Response(status, body);
    }

    private String chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = s.length();
                return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
            }
            s.append((char) c);
        }
        throw new IOException("connection closed mid-response");
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
        socket = null;
    }
}

package dev.mayfly.client.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A resource server that answers from a script (status, headers, body per request; the last answer repeats)
 * and records what it was sent. Stands in for the vendors whose documented error formats the classifier reads.
 */
public final class ScriptedServer implements AutoCloseable {
    /** One scripted answer. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    /** One request as received. */
    public record Received(String method, String authorization, String body) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());

    public ScriptedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            received.add(new Received(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Authorization"),
                    new String(in, StandardCharsets.UTF_8)));
            Answer a = script.size() > 1 ? script.pollFirst() : script.peekFirst();
            if (a == null) {
                a = new Answer(200, Map.of(), "ok");
            }
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
            ex.close();
        });
        server.start();
    }

    public ScriptedServer then(int status, Map<String, String> headers, String body) {
        script.addLast(new Answer(status, headers, body));
        return this;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

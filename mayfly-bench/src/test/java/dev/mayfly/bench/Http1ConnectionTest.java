package dev.mayfly.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The load generator's socket client against a scripted server on a real socket. */
class Http1ConnectionTest {

    @Test
    void readsLengthDelimitedAndChunkedAnswersOnOneConnection() throws Exception {
        List<String> answers = List.of(
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n4\r\ndéf\r\n0\r\nTrailer: t\r\n\r\n");
        try (ScriptedServer server = new ScriptedServer(i -> answers.get(i % answers.size()))) {
            Http1Connection c = new Http1Connection(server.uri());
            Http1Connection.Response first = c.send(post(server.uri(), "a=1"));
            Http1Connection.Response second = c.send(post(server.uri(), "a=2"));

            assertThat(first).isEqualTo(new Http1Connection.Response(200, "hello"));
            assertThat(second).isEqualTo(new Http1Connection.Response(400, "abcdéf"));
            assertThat(server.connections.get()).isEqualTo(1);
            assertThat(server.requests.get(0)).startsWith("POST /oauth/token HTTP/1.1").contains("Content-Length: 3", "X-Test: yes");
            assertThat(server.bodies).containsExactly("a=1", "a=2");
            c.close();
        }
    }

    @Test
    void reconnectsAfterTheServerClosesAndRetriesOnlyWhatNeverReachedIt() throws Exception {
        // Answer 0 closes the connection; request 1 then finds it closed before any answer and is sent again.
        try (ScriptedServer server = new ScriptedServer(i -> i == 0
                ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                : "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nyes")) {
            Http1Connection c = new Http1Connection(server.uri());
            assertThat(c.send(post(server.uri(), "x")).body()).isEqualTo("ok");
            assertThat(c.send(post(server.uri(), "y")).body()).isEqualTo("yes");
            assertThat(server.connections.get()).isEqualTo(2);
            assertThat(server.bodies).containsExactly("x", "y"); // nothing sent twice
            c.close();
        }
    }

    @Test
    void aTruncatedAnswerIsAnErrorNotARetry() throws Exception {
        try (ScriptedServer server = new ScriptedServer(i -> "HTTP/1.1 200 OK\r\nContent-Le")) {
            Http1Connection c = new Http1Connection(server.uri());
            assertThatThrownBy(() -> c.send(post(server.uri(), "z"))).isInstanceOf(IOException.class);
            assertThat(server.bodies).containsExactly("z");
        }
        assertThatThrownBy(() -> new Http1Connection(URI.create("https://127.0.0.1:1/")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static BenchRequest post(URI base, String body) {
        return new BenchRequest("POST", base.resolve("/oauth/token"), Map.of("X-Test", "yes"), body);
    }

    /** Answers each request with the script's text for its number, closing after an answer that says so. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread;

        ScriptedServer(Function<Integer, String> script) throws IOException {
            thread = new Thread(() -> {
                int n = 0;
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        OutputStream out = s.getOutputStream();
                        while (true) {
                            List<String> head = new ArrayList<>();
                            for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                                head.add(l);
                            }
                            if (head.isEmpty()) {
                                break;
                            }
                            int length = head.stream().filter(h -> h.startsWith("Content-Length: "))
                                    .mapToInt(h -> Integer.parseInt(h.substring(16))).findFirst().orElse(0);
                            char[] body = new char[length];
                            in.read(body, 0, length);
                            requests.add(String.join("\r\n", head));
                            bodies.add(new String(body));
                            String answer = script.apply(n++);
                            out.write(answer.getBytes(StandardCharsets.UTF_8));
                            out.flush();
                            if (answer.contains("Connection: close") || !answer.contains("\r\n\r\n")) {
                                break;
                            }
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

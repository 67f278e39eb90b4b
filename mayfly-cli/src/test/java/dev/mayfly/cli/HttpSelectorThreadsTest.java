package dev.mayfly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpSelectorThreadsTest {
    @Test
    void aClientsSelectorThreadEndsWhenStopped() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<Void> r = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(r.statusCode()).isEqualTo(204);

            List<Thread> stopped = HttpSelectorThreads.stopAll();
            assertThat(stopped).isNotEmpty().allSatisfy(t -> assertThat(t.getName()).endsWith("-SelectorManager"));
            assertThat(stopped).noneMatch(Thread::isAlive);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            server.stop(0);
        }
    }
}

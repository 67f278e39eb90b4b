package dev.mayfly.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

/** A request a scenario sends, in a form both HTTP clients of the load generator can send. */
record BenchRequest(String method, URI uri, Map<String, String> headers, String body) {

    /** The same request for the JDK's HttpClient (set-up, the open loop, and the closed loop's "jdk" client). */
    HttpRequest toJdk() {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        headers.forEach(b::header);
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
    }
}

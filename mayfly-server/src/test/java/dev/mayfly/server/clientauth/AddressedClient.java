package dev.mayfly.server.clientauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Form POSTs to the broker from a chosen loopback source address (127.0.0.2, 127.0.0.3, ...: all of
 * 127/8 is loopback on Linux), so a test can be several clients on different addresses. Plain HTTP/1.0
 * over a socket bound to that address, because the JDK's HTTP client cannot choose its source address.
 */
final class AddressedClient {
    record Response(int status, JsonNode body) {
        String code() {
            return body == null ? null : body.path("code").asText(null);
        }
    }

    private final String from;
    private final int port;

    AddressedClient(String from, int port) {
        this.from = from;
        this.port = port;
    }

    Response post(String path, Map<String, String> form, String clientId, String secret) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        StringBuilder req = new StringBuilder("POST " + path + " HTTP/1.0\r\nHost: 127.0.0.1:" + port + "\r\n")
                .append("Content-Type: application/x-www-form-urlencoded\r\n")
                .append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        if (clientId != null) {
            String creds = enc(clientId) + ":" + enc(secret);
            req.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        req.append("\r\n").append(body);
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String raw = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
            int status = Integer.parseInt(raw.substring(raw.indexOf(' ') + 1, raw.indexOf(' ') + 4));
            String content = raw.substring(raw.indexOf("\r\n\r\n") + 4);
            return new Response(status, content.isBlank() ? null : Json.mapper().readTree(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Response login(String clientId, String secret) {
        return post("/oauth/token", Map.of("grant_type", "client_credentials"), clientId, secret);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

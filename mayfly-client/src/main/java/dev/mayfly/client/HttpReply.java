package dev.mayfly.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.client.classify.BrokerErrors;
import dev.mayfly.client.classify.SentCredential;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** A response as received by {@link MayflyHttp}: status, headers, body bytes (bounded). Immutable. */
public record HttpReply(int status, HttpHeaders headers, byte[] body) {
    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as JSON, or {@code null} when it is empty or not JSON. */
    public JsonNode json() {
        if (body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * This unsuccessful answer as one catalog error, read by {@link BrokerErrors}: a Mayfly error as sent,
     * anything else through the auth-failure classifier, on {@code clock} (a sent token's exp, a Retry-After).
     */
    public MayflyError error(SentCredential sent, Clock clock, String target) {
        return BrokerErrors.read(status, headers, text(), sent, clock, target);
    }

    /** As {@link #error(SentCredential, Clock, String)} when nothing is known of a credential sent. */
    public MayflyError error(Clock clock, String target) {
        return error(SentCredential.unknown(), clock, target);
    }

    @Override
    public String toString() {
        return "HttpReply[" + status + ", " + body.length + " bytes]";
    }
}

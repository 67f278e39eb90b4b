package dev.mayfly.core.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The revocation feed's wire format ({@code GET /v1/revocations/stream}, server-sent events), written by the
 * broker and read by verifiers and {@code mayfly revocations watch}: the one definition of both sides.
 *
 * <pre>
 * id: 42
 * event: revocation
 * data: {"seq":42,"kind":"task","target":"build-7","agent_id":"agt_…","reason":"done","revoked_at":"…","covers_until":"…"}
 *
 * event: heartbeat
 * data: {"seq":42,"at":"2026-12-07T16:00:00Z"}
 * </pre>
 *
 * Reading is tolerant where a newer broker may say more (unknown event types and revocation kinds are
 * reported, not thrown; unknown fields are ignored) and strict where a value this build needs is broken
 * (a malformed revocation is a {@link MalformedEventException}: applying half of one would be worse).
 * {@code agent_id} is optional: events of older brokers lack it (see {@link RevocationEvent#agentId}).
 * Stateless.
 */
public final class RevocationFeedCodec {
    public static final String REVOCATION = "revocation";
    public static final String HEARTBEAT = "heartbeat";

    private RevocationFeedCodec() {
    }

    /** One revocation as a complete SSE event (its sequence number is the event id, for resume). */
    public static byte[] encode(RevocationEvent e) {
        return ("id: " + e.seq() + "\nevent: " + REVOCATION + "\ndata: " + Json.write(e.toView()) + "\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** A heartbeat as a complete SSE event. */
    public static byte[] encode(FeedMessage.Heartbeat beat) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("seq", beat.seq());
        data.put("at", beat.at().toString());
        return ("event: " + HEARTBEAT + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one SSE event's type and data.
     *
     * @throws MalformedEventException when a revocation or heartbeat this build knows is not well-formed
     */
    public static FeedMessage decode(String type, String data) {
        if (!REVOCATION.equals(type) && !HEARTBEAT.equals(type)) {
            return new FeedMessage.Ignored(type);
        }
        JsonNode json = parse(data);
        long seq = sequence(json);
        if (HEARTBEAT.equals(type)) {
            JsonNode at = json.get("at");
            return new FeedMessage.Heartbeat(seq, at == null || at.isNull() ? null : instant(json, "at"));
        }
        String kindName = text(json, "kind");
        var kind = Revocation.Granularity.fromWire(kindName);
        if (kind.isEmpty()) {
            return new FeedMessage.UnknownKind(seq, kindName);
        }
        JsonNode reason = json.get("reason");
        return new FeedMessage.Revoked(new RevocationEvent(seq, kind.get(), text(json, "target"),
                reason == null || reason.isNull() ? null : reason.asText(),
                instant(json, "revoked_at"), instant(json, "covers_until"), optionalText(json, "agent_id")));
    }

    private static JsonNode parse(String data) {
        try {
            JsonNode json = data == null ? null : Json.mapper().readTree(data);
            if (json == null || !json.isObject()) {
                throw new MalformedEventException("event data is not a JSON object");
            }
            return json;
        } catch (IOException e) {
            throw new MalformedEventException("event data is not JSON");
        }
    }

    private static long sequence(JsonNode json) {
        JsonNode seq = json.get("seq");
        if (seq == null || !seq.canConvertToExactIntegral() || !seq.canConvertToLong() || seq.asLong() < 0) {
            throw new MalformedEventException("\"seq\" is not a non-negative integer");
        }
        return seq.asLong();
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new MalformedEventException("\"" + field + "\" is missing or not a string");
        }
        return v.asText();
    }

    /** Absent or null reads as null; present, it must be a non-empty string like any other id. */
    private static String optionalText(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : text(json, field);
    }

    private static Instant instant(JsonNode json, String field) {
        String text = text(json, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeException e) {
            throw new MalformedEventException("\"" + field + "\" is not an ISO-8601 instant");
        }
    }

    /** A feed event of a known type whose data cannot be read. The message names the field, never its value. */
    public static final class MalformedEventException extends RuntimeException {
        MalformedEventException(String message) {
            super(message);
        }
    }
}

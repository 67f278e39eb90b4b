package dev.mayfly.core.revocation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mayfly.core.error.MayflyError;
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
 *
 * event: closed
 * data: {"code":"CREDENTIALS_EXPIRED","message":"…","expired":true,"expired_at":"…",…}
 * </pre>
 *
 * A {@code closed} event is the last of a stream whose credential stopped being valid; its data is the
 * catalog error (the envelope's {@code error} object) saying why.
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
    public static final String CLOSED = "closed";

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

    /** The last event of a stream whose credential stopped being valid: the catalog error saying why. */
    public static byte[] encodeClosed(MayflyError why) {
        return ("event: " + CLOSED + "\ndata: " + Json.write(why.toMap()) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads one SSE event's type and data.
     *
     * @throws MalformedEventException when a revocation or heartbeat this build knows is not well-formed
     */
    public static FeedMessage decode(String type, String data) {
        if (CLOSED.equals(type)) {
            JsonNode json = parse(data);
            return new FeedMessage.Closed(json.path("code").asText("UNKNOWN"), json.path("message").asText(""));
        }
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

    /**
     * Reads one SSE event without ever throwing, for a reader that must keep advancing through whatever a
     * broker sends (a subscriber that stopped on an event would be sent it again on every reconnect, forever):
     * what {@link #decode} reads, it returns; a malformed revocation becomes {@link FeedMessage.Unreadable}
     * with what could be read; an event of an unknown type whose {@code id} is a sequence number becomes an
     * {@code Unreadable} with that sequence, since resuming after it must not ask for it again.
     *
     * @param id the event's SSE {@code id}, or null
     */
    public static FeedMessage decodeLeniently(String type, String id, String data) {
        try {
            FeedMessage m = decode(type, data);
            if (m instanceof FeedMessage.Ignored && id != null && id.matches("\\d{1,18}")) {
                return new FeedMessage.Unreadable(Long.parseLong(id), null, null, "unknown event type");
            }
            return m;
        } catch (MalformedEventException e) {
            if (!REVOCATION.equals(type)) {
                return new FeedMessage.Unreadable(null, null, null, type + ": " + e.getMessage());
            }
            JsonNode json = null;
            try {
                json = parse(data);
            } catch (MalformedEventException notJson) {
                // nothing readable in the data; the id may still say where the event was
            }
            Long seq = null;
            if (json != null) {
                try {
                    seq = sequence(json);
                } catch (MalformedEventException noSeq) {
                    // fall back on the id below
                }
            }
            if (seq == null && id != null && id.matches("\\d{1,18}")) {
                seq = Long.parseLong(id);
            }
            Revocation.Granularity kind = null;
            String target = null;
            if (json != null) {
                JsonNode k = json.get("kind");
                kind = k != null && k.isTextual() ? Revocation.Granularity.fromWire(k.asText()).orElse(null) : null;
                JsonNode t = json.get("target");
                target = t != null && t.isTextual() && !t.asText().isEmpty() ? t.asText() : null;
            }
            return new FeedMessage.Unreadable(seq, kind, target, e.getMessage());
        }
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

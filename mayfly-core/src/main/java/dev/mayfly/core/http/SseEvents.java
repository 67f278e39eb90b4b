package dev.mayfly.core.http;

/**
 * Assembles server-sent events from lines (WHATWG HTML §9.2.6): {@code event:}, {@code id:} and
 * {@code data:} fields, dispatched at a blank line; comments ignored. Not thread-safe: one per stream.
 * Read by the verifier's revocation-feed subscriber and by {@code mayfly revocations watch}.
 */
public final class SseEvents {
    /** Receives one complete event. */
    @FunctionalInterface
    public interface Listener {
        /** @return false to stop reading */
        boolean event(String type, String id, String data);
    }

    private final Listener listener;
    private String type;
    private String id;
    private StringBuilder data;

    public SseEvents(Listener listener) {
        this.listener = listener;
    }

    /** Feeds one line (without its line break); returns false when the listener asked to stop. */
    public boolean line(String line) {
        if (line.isEmpty()) {
            boolean more = data == null || listener.event(type == null ? "message" : type, id, data.toString());
            type = null;
            id = null;
            data = null;
            return more;
        }
        if (line.startsWith(":")) {
            return true;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "id" -> id = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
        }
        return true;
    }
}

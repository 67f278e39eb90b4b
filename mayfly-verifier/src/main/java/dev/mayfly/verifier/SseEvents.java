package dev.mayfly.verifier;

/**
 * Assembles server-sent events from lines (WHATWG HTML §9.2.6): {@code event:}, {@code id:} and
 * {@code data:} fields, dispatched at a blank line; comments ({@code :...}) ignored. Not thread-safe: one
 * per stream.
 */
final class SseEvents {
    /** Receives one complete event. */
    @FunctionalInterface
    interface Listener {
        void event(String type, String id, String data);
    }

    private final Listener listener;
    private String type;
    private String id;
    private StringBuilder data;

    SseEvents(Listener listener) {
        this.listener = listener;
    }

    void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                listener.event(type == null ? "message" : type, id, data.toString());
            }
            type = null;
            id = null;
            data = null;
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event":
                type = value;
                break;
            case "id":
                id = value;
                break;
            case "data":
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
                break;
            default:
                break;
        }
    }
}

package dev.mayfly.scanner;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles streamed LLM output from JSONL or server-sent events ({@code data: {...}} lines) before
 * scanning, because a model streams a token in pieces: {@code "mfy_"}, {@code "rt_8fK"}, ... Recognised
 * events, one per line:
 * <ul>
 *   <li>OpenAI Chat Completions: {@code choices[i].delta.content}, {@code choices[i].delta.tool_calls[j]
 *       .function.arguments}, legacy {@code choices[i].text}; {@code finish_reason} or {@code [DONE]}
 *       ends the stream;</li>
 *   <li>Anthropic Messages: {@code content_block_delta} with {@code delta.text}, {@code delta.partial_json}
 *       or {@code delta.thinking}; {@code content_block_stop} and {@code message_stop} end it;</li>
 *   <li>OpenAI Responses: events of type {@code *.delta} with a string {@code delta}.</li>
 * </ul>
 * Each stream (choice, tool call, content block) becomes a {@link DeltaLane}. Lines longer than
 * {@value #MAX_LINE} characters are not events and are ignored here (the main scan still sees them).
 */
final class DeltaReassembler {
    static final int MAX_LINE = 64 * 1024;
    private static final int MAX_LANES = 16;
    private static final int LANE_CHUNK = 64 * 1024;
    /** Pieces of one secret further apart than this in the input are not joined. */
    static final long MAX_LAG = 4L * 1024 * 1024;

    private final ChunkScanner scanner;
    private final int overlap;
    private final Map<String, DeltaLane> lanes = new LinkedHashMap<>();
    private char[] line = new char[1024];
    private int lineLength;
    private boolean overflow;
    /** The current line cannot be an event (its start says so): counted, not copied. */
    private boolean ignored;
    private long lineStart;
    private int lineNo = 1;

    DeltaReassembler(ChunkScanner scanner, int overlap) {
        this.scanner = scanner;
        this.overlap = overlap;
    }

    /** Feeds input characters in order; {@code inputOffset} is the offset of {@code buf[off]}. */
    void accept(char[] buf, int off, int len, long inputOffset) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int nl = i;
            while (nl < end && buf[nl] != '\n') {
                nl++;
            }
            append(buf, i, nl - i);
            if (nl < end) {
                endLine();
                lineNo++;
                lineStart = inputOffset + (nl - off) + 1;
                i = nl + 1;
            } else {
                i = nl;
            }
        }
    }

    /** Processes the last line and scans what is left of every stream. */
    void finish() {
        endLine();
        for (DeltaLane lane : lanes.values()) {
            lane.flush(true);
        }
        lanes.clear();
    }

    /** Input offset before which no future finding of a stream can start. */
    long pending() {
        long min = overflow ? Long.MAX_VALUE : lineStart;
        for (DeltaLane lane : lanes.values()) {
            min = Math.min(min, lane.pending());
        }
        return min;
    }

    private void append(char[] buf, int from, int count) {
        if (overflow || count == 0) {
            return;
        }
        if (lineLength + count > MAX_LINE) {
            overflow = true;
            lineLength = 0;
            return;
        }
        if (ignored || (lineLength == 0 && cannotBeEvent(buf, from, from + count))) {
            // Most lines of a log are not events: copying them only to drop them at the line's end is
            // the one cost this decoder adds to every character.
            ignored = true;
            lineLength += count;
            return;
        }
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(line.length * 2, lineLength + count)));
        }
        System.arraycopy(buf, from, line, lineLength, count);
        lineLength += count;
    }

    private void endLine() {
        if (!overflow && !ignored && lineLength > 0) {
            process();
        }
        lineLength = 0;
        overflow = false;
        ignored = false;
        // A stream that stopped without an end event must not pin memory (the redactor holds input back
        // until every stream has been scanned past it): scan it once it lags too far behind.
        for (DeltaLane lane : lanes.values()) {
            if (lane.pending() != Long.MAX_VALUE && lineStart - lane.pending() > MAX_LAG) {
                lane.flush(true);
            }
        }
    }

    /**
     * True when the first characters of a line, {@code buf[from, to)}, already rule out what
     * {@link #process} looks for: optional blanks, an optional {@code data:} and spaces, then {@code {} or
     * {@code [DONE]}. False when they fit or are too few to tell.
     */
    static boolean cannotBeEvent(char[] buf, int from, int to) {
        int p = from;
        while (p < to && (buf[p] == ' ' || buf[p] == '\t')) {
            p++;
        }
        if (p < to && buf[p] == 'd') {
            String data = "data:";
            for (int k = 0; k < data.length(); k++, p++) {
                if (p == to) {
                    return false;
                }
                if (buf[p] != data.charAt(k)) {
                    return true;
                }
            }
            while (p < to && buf[p] == ' ') {
                p++;
            }
        }
        return p < to && buf[p] != '{' && buf[p] != '[';
    }

    private void process() {
        int p = 0;
        while (p < lineLength && (line[p] == ' ' || line[p] == '\t')) {
            p++;
        }
        if (startsWith(p, "data:")) {
            p += 5;
            while (p < lineLength && line[p] == ' ') {
                p++;
            }
        }
        if (startsWith(p, "[DONE]")) {
            endLanes("oai:");
            return;
        }
        if (p >= lineLength || line[p] != '{' || !mentionsStreamEvent()) {
            return;
        }
        Object root = JsonLine.parse(line, p, lineLength);
        if (!(root instanceof Map)) {
            return;
        }
        Map<?, ?> event = (Map<?, ?>) root;
        Object choices = event.get("choices");
        if (choices instanceof List) {
            openAiChoices((List<?>) choices);
            return;
        }
        String type = text(event.get("type"));
        if (type == null) {
            return;
        }
        switch (type) {
            case "content_block_delta": {
                Object delta = event.get("delta");
                if (delta instanceof Map) {
                    Map<?, ?> d = (Map<?, ?>) delta;
                    String key = "ant:" + text(event.get("index"));
                    for (String field : new String[] {"text", "partial_json", "thinking"}) {
                        feed(key, d.get(field));
                    }
                }
                return;
            }
            case "content_block_stop":
                endLane("ant:" + text(event.get("index")));
                return;
            case "message_stop":
                endLanes("ant:");
                return;
            default:
                if (type.endsWith(".delta")) {
                    feed("resp:" + text(event.get("output_index")) + ":" + text(event.get("content_index")),
                            event.get("delta"));
                } else if (type.endsWith(".done")) {
                    endLane("resp:" + text(event.get("output_index")) + ":" + text(event.get("content_index")));
                }
        }
    }

    private void openAiChoices(List<?> choices) {
        int position = 0;
        for (Object c : choices) {
            if (!(c instanceof Map)) {
                continue;
            }
            Map<?, ?> choice = (Map<?, ?>) c;
            String index = choice.containsKey("index") ? text(choice.get("index")) : String.valueOf(position);
            position++;
            String key = "oai:" + index;
            Object delta = choice.get("delta");
            if (delta instanceof Map) {
                Map<?, ?> d = (Map<?, ?>) delta;
                feed(key, d.get("content"));
                Object calls = d.get("tool_calls");
                if (calls instanceof List) {
                    int k = 0;
                    for (Object call : (List<?>) calls) {
                        if (call instanceof Map) {
                            Map<?, ?> tc = (Map<?, ?>) call;
                            String callIndex = tc.containsKey("index") ? text(tc.get("index")) : String.valueOf(k);
                            Object fn = tc.get("function");
                            if (fn instanceof Map) {
                                feed(key + ":tool:" + callIndex, ((Map<?, ?>) fn).get("arguments"));
                            }
                        }
                        k++;
                    }
                }
            } else {
                feed(key + ":text", choice.get("text"));
            }
            Object finish = choice.get("finish_reason");
            if (finish instanceof JsonLine.Str) {
                endLane(key);
                endLanes(key + ":");
            }
        }
    }

    private void feed(String key, Object value) {
        if (!(value instanceof JsonLine.Str)) {
            return;
        }
        DeltaLane lane = lanes.get(key);
        if (lane == null) {
            if (lanes.size() >= MAX_LANES) {
                return;
            }
            lane = new DeltaLane(scanner, LANE_CHUNK, overlap);
            lanes.put(key, lane);
        }
        DeltaLane target = lane;
        ((JsonLine.Str) value).forEachChar((c, at, width) -> target.append(c, lineStart + at, width, lineNo, at + 1));
    }

    /** A stream ended: scan all of it now (its text will not continue). */
    private void endLane(String key) {
        DeltaLane lane = lanes.get(key);
        if (lane != null) {
            lane.flush(true);
        }
    }

    private void endLanes(String prefix) {
        Iterator<Map.Entry<String, DeltaLane>> it = lanes.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, DeltaLane> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                e.getValue().flush(true);
            }
        }
    }

    private boolean startsWith(int p, String s) {
        if (p + s.length() > lineLength) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (line[p + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the line contains {@code delta}, {@code stop} or {@code finish}: one walk, not three. */
    private boolean mentionsStreamEvent() {
        char[] l = line;
        for (int i = 0; i < lineLength; i++) {
            char c = l[i];
            if ((c == 'd' && matchesAt(i, "delta")) || (c == 's' && matchesAt(i, "stop"))
                    || (c == 'f' && matchesAt(i, "finish"))) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesAt(int i, String s) {
        if (i + s.length() > lineLength) {
            return false;
        }
        for (int k = 1; k < s.length(); k++) {
            if (line[i + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static String text(Object v) {
        if (v instanceof JsonLine.Str) {
            return ((JsonLine.Str) v).value();
        }
        return v == null ? null : v.toString();
    }
}

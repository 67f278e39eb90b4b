package dev.mayfly.scanner;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
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
 * A line is read ({@link StreamEvents}) only when its start fits ({@link #cannotBeEvent}) and it names
 * an event ({@link #namesStreamEvent}): most lines of a log or transcript are none.
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
    private final StreamEvents events = new StreamEvents();
    private final LaneOps ops = new LaneOps();
    private char[] line = new char[1024];
    private int lineLength;
    private boolean overflow;
    /** The current line cannot be an event (its start says so): counted, not copied. */
    private boolean ignored;
    private long lineStart;
    private int lineNo = 1;
    /**
     * At most the earliest {@link DeltaLane#pending} of all lanes (a lane's pending only moves forward,
     * except when it is fed, where this is lowered), so most lines need not look at every lane for one
     * lagging behind.
     */
    private long oldestPending = Long.MAX_VALUE;

    DeltaReassembler(ChunkScanner scanner, int overlap) {
        this.scanner = scanner;
        this.overlap = overlap;
    }

    /** Feeds input characters in order; {@code inputOffset} is the offset of {@code buf[off]}. */
    void accept(char[] buf, int off, int len, long inputOffset) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int nl = Newlines.next(buf, i, end);
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
        if (lineStart - oldestPending > MAX_LAG) {
            long oldest = Long.MAX_VALUE;
            for (DeltaLane lane : lanes.values()) {
                if (lane.pending() != Long.MAX_VALUE && lineStart - lane.pending() > MAX_LAG) {
                    lane.flush(true);
                }
                oldest = Math.min(oldest, lane.pending());
            }
            oldestPending = oldest;
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
        if (p >= lineLength || line[p] != '{' || !namesStreamEvent(line, p, lineLength)) {
            return;
        }
        ops.clear();
        if (!events.read(line, p, lineLength, ops)) {
            StreamEvents.readParsed(line, p, lineLength, ops);
        }
        for (int i = 0; i < ops.size; i++) {
            switch (ops.kinds[i]) {
                case LaneOps.FEED:
                    feed(ops.keys[i], ops.starts[i], ops.ends[i]);
                    break;
                case LaneOps.END:
                    endLane(ops.keys[i]);
                    break;
                default:
                    endLanes(ops.keys[i]);
            }
        }
    }

    /** Appends the JSON string content {@code line[start, end)}, decoded, to the stream {@code key}. */
    private void feed(String key, int start, int end) {
        DeltaLane lane = lanes.get(key);
        if (lane == null) {
            if (lanes.size() >= MAX_LANES) {
                return;
            }
            lane = new DeltaLane(scanner, LANE_CHUNK, overlap);
            lanes.put(key, lane);
        }
        appendString(lane, line, start, end, lineStart, lineNo);
        oldestPending = Math.min(oldestPending, lane.pending());
    }

    /**
     * Appends the JSON string content {@code line[start, end)} (escaped; the line starts at input offset
     * {@code lineStart}) to {@code lane}, decoded as {@link JsonLine.Str#forEachChar} decodes it: a run
     * without escapes in bulk, since it maps character for character onto the input.
     */
    static void appendString(DeltaLane lane, char[] line, int start, int end, long lineStart, int lineNo) {
        int i = start;
        while (i < end) {
            int run = i;
            while (run < end && line[run] != '\\') {
                run++;
            }
            if (run > i) {
                lane.appendRun(line, i, run - i, lineStart + i, lineNo, i + 1);
                i = run;
            }
            if (i < end) {
                i += appendEscape(lane, line, i, end, lineStart, lineNo);
            }
        }
    }

    /** Appends the character escaped at {@code line[i]} (a backslash); returns the escape's width. */
    private static int appendEscape(DeltaLane lane, char[] line, int i, int end, long lineStart, int lineNo) {
        if (i + 1 >= end) {
            lane.append('\\', lineStart + i, 1, lineNo, i + 1);
            return 1;
        }
        int w = JsonLine.escapeWidth(line, i);
        lane.append(JsonStringDecoder.unescape(line, i), lineStart + i, w, lineNo, i + 1);
        return w;
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

    /**
     * Whether {@code l[from, to)} names a stream event as producers write one: a member {@code "choices"}
     * (OpenAI Chat Completions), or a string ending in {@code delta}, {@code _stop} or {@code .done} (the
     * event types, and the {@code "delta"} member). Names are looked for as written, before a quote; a
     * line whose names are all escaped is not read. Most lines of a transcript are no event: this walk
     * is one comparison a character.
     */
    static boolean namesStreamEvent(char[] l, int from, int to) {
        for (int q = from + 5; q < to; q++) {
            if (l[q] == '"' && nameEndsAt(l, from, q)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the characters before the quote {@code l[q]} (and from {@code from} on) end an event name. */
    private static boolean nameEndsAt(char[] l, int from, int q) {
        switch (l[q - 1]) {
            case 'a':
                return l[q - 5] == 'd' && l[q - 4] == 'e' && l[q - 3] == 'l' && l[q - 2] == 't';
            case 'p':
                return l[q - 5] == '_' && l[q - 4] == 's' && l[q - 3] == 't' && l[q - 2] == 'o';
            case 'e':
                return l[q - 5] == '.' && l[q - 4] == 'd' && l[q - 3] == 'o' && l[q - 2] == 'n';
            case 's':
                return q - 7 >= from && l[q - 7] == 'c' && l[q - 6] == 'h' && l[q - 5] == 'o' && l[q - 4] == 'i'
                        && l[q - 3] == 'c' && l[q - 2] == 'e';
            default:
                return false;
        }
    }
}

package dev.mayfly.scanner;

import static dev.mayfly.scanner.JsonLine.ABSENT;

import java.util.List;
import java.util.Map;

/**
 * Recognises the streamed-LLM event on one JSON line (see {@link DeltaReassembler} for the shapes) and
 * records what it asks of the streams in {@link LaneOps}. Two readings that must agree on every line:
 * {@link #readParsed} parses the line into maps and lists, the definition; {@link #read} reads only the
 * members it needs in place (the line is still checked whole, as the parse would, since a malformed line
 * is no event) and gives up, with nothing recorded, on the one shape it does not copy: an index that is
 * an object or a list (the parsed reading names that lane by the value's {@code toString}). One per
 * reassembler: it keeps scratch arrays; not thread-safe.
 */
final class StreamEvents {
    private static final String[] TOP = {"choices", "type", "index", "delta", "output_index", "content_index"};
    private static final int CHOICES = 0;
    private static final int TYPE = 1;
    private static final int INDEX = 2;
    private static final int DELTA = 3;
    private static final int OUTPUT_INDEX = 4;
    private static final int CONTENT_INDEX = 5;
    private static final String[] CHOICE = {"index", "delta", "text", "finish_reason"};
    private static final String[] CHOICE_DELTA = {"content", "tool_calls"};
    private static final String[] TOOL_CALL = {"index", "function"};
    private static final String[] FUNCTION = {"arguments"};
    private static final String[] BLOCK_DELTA = {"text", "partial_json", "thinking"};

    /** Lane keys for indexes below this are kept, not built again every line. */
    private static final int CACHED = 16;

    private final String[] antKeys = new String[CACHED];
    private final String[] oaiKeys = new String[CACHED];
    private final String[] respKeys = new String[CACHED * CACHED];
    private final int[] top = new int[TOP.length];
    private final int[] choice = new int[CHOICE.length];
    private final int[] choiceDelta = new int[CHOICE_DELTA.length];
    private final int[] toolCall = new int[TOOL_CALL.length];
    private final int[] function = new int[FUNCTION.length];
    private final int[] blockDelta = new int[BLOCK_DELTA.length];

    /**
     * Reads the line {@code s[from, end)} in place; false when it gives up (then {@code ops} is as it was
     * given and the caller uses {@link #readParsed}).
     */
    boolean read(char[] s, int from, int end, LaneOps ops) {
        if (!JsonLine.readObject(s, from, end, TOP, top)) {
            return true;
        }
        int choices = top[CHOICES];
        if (choices != ABSENT && s[choices] == '[') {
            int before = ops.size;
            if (!choices(s, choices, end, ops)) {
                ops.size = before;
                return false;
            }
            return true;
        }
        int typeAt = top[TYPE];
        if (typeAt == ABSENT || s[typeAt] != '"') {
            // a number, literal, object or list is never one of the event types
            return true;
        }
        int typeEnd = JsonLine.stringClose(s, typeAt, end);
        char[] t = s;
        int tFrom = typeAt + 1;
        int tTo = typeEnd;
        if (hasEscape(s, tFrom, tTo)) {
            t = new JsonLine.Str(s, tFrom, tTo).value().toCharArray();
            tFrom = 0;
            tTo = t.length;
        }
        if (is(t, tFrom, tTo, "content_block_delta")) {
            int delta = top[DELTA];
            if (delta != ABSENT && s[delta] == '{') {
                String key = key(antKeys, "ant:", s, top[INDEX], end);
                if (key == null) {
                    return false;
                }
                JsonLine.members(s, delta, end, BLOCK_DELTA, blockDelta);
                for (int at : blockDelta) {
                    feed(s, end, key, at, ops);
                }
            }
            return true;
        }
        if (is(t, tFrom, tTo, "content_block_stop")) {
            String key = key(antKeys, "ant:", s, top[INDEX], end);
            if (key == null) {
                return false;
            }
            ops.end(key);
            return true;
        }
        if (is(t, tFrom, tTo, "message_stop")) {
            ops.endAll("ant:");
            return true;
        }
        boolean delta = endsWith(t, tFrom, tTo, ".delta");
        if (delta || endsWith(t, tFrom, tTo, ".done")) {
            String key = responsesKey(s, top[OUTPUT_INDEX], top[CONTENT_INDEX], end);
            if (key == null) {
                return false;
            }
            if (delta) {
                feed(s, end, key, top[DELTA], ops);
            } else {
                ops.end(key);
            }
        }
        return true;
    }

    private boolean choices(char[] s, int list, int end, LaneOps ops) {
        int position = 0;
        for (int c = JsonLine.firstElement(s, list, end); c != ABSENT; c = JsonLine.nextElement(s, c, end)) {
            if (s[c] != '{') {
                continue;
            }
            JsonLine.members(s, c, end, CHOICE, choice);
            String key = choice[0] == ABSENT ? key(oaiKeys, "oai:", position) : key(oaiKeys, "oai:", s, choice[0], end);
            if (key == null) {
                return false;
            }
            position++;
            int delta = choice[1];
            if (delta != ABSENT && s[delta] == '{') {
                JsonLine.members(s, delta, end, CHOICE_DELTA, choiceDelta);
                feed(s, end, key, choiceDelta[0], ops);
                int calls = choiceDelta[1];
                if (calls != ABSENT && s[calls] == '[') {
                    int k = 0;
                    for (int t = JsonLine.firstElement(s, calls, end); t != ABSENT; t = JsonLine.nextElement(s, t, end)) {
                        if (s[t] == '{') {
                            JsonLine.members(s, t, end, TOOL_CALL, toolCall);
                            String callIndex = toolCall[0] == ABSENT ? String.valueOf(k) : text(s, toolCall[0], end);
                            if (callIndex == null) {
                                return false;
                            }
                            int fn = toolCall[1];
                            if (fn != ABSENT && s[fn] == '{') {
                                JsonLine.members(s, fn, end, FUNCTION, function);
                                feed(s, end, key + ":tool:" + callIndex, function[0], ops);
                            }
                        }
                        k++;
                    }
                }
            } else {
                feed(s, end, key + ":text", choice[2], ops);
            }
            int finish = choice[3];
            if (finish != ABSENT && s[finish] == '"') {
                ops.end(key);
                ops.endAll(key + ":");
            }
        }
        return true;
    }

    private static void feed(char[] s, int end, String key, int at, LaneOps ops) {
        if (at != ABSENT && s[at] == '"') {
            ops.feed(key, at + 1, JsonLine.stringClose(s, at, end));
        }
    }

    /**
     * {@code prefix} and the parsed reading's {@code text} of the value at {@code s[at]} ({@code "null"}
     * when absent), or {@code null} to give up; a small index's key is built once, not every line.
     */
    private static String key(String[] cache, String prefix, char[] s, int at, int end) {
        int small = smallIndex(s, at, end);
        if (small >= 0) {
            return key(cache, prefix, small);
        }
        if (at == ABSENT) {
            return prefix + "null";
        }
        String text = text(s, at, end);
        return text == null ? null : prefix + text;
    }

    private static String key(String[] cache, String prefix, int index) {
        if (index >= CACHED) {
            return prefix + index;
        }
        String key = cache[index];
        if (key == null) {
            key = prefix + index;
            cache[index] = key;
        }
        return key;
    }

    private String responsesKey(char[] s, int outputAt, int contentAt, int end) {
        int output = smallIndex(s, outputAt, end);
        int content = smallIndex(s, contentAt, end);
        if (output >= 0 && content >= 0) {
            int slot = output * CACHED + content;
            String key = respKeys[slot];
            if (key == null) {
                key = "resp:" + output + ":" + content;
                respKeys[slot] = key;
            }
            return key;
        }
        String o = outputAt == ABSENT ? "null" : text(s, outputAt, end);
        String c = contentAt == ABSENT ? "null" : text(s, contentAt, end);
        return o == null || c == null ? null : "resp:" + o + ":" + c;
    }

    /**
     * The value of a number written {@code 0} to {@code 15} as plain digits ({@code 1}, not {@code 01} or
     * {@code 1.0}: the key is the text as written), else -1.
     */
    private static int smallIndex(char[] s, int at, int end) {
        if (at == ABSENT) {
            return -1;
        }
        int value = 0;
        int i = at;
        while (i < end && s[i] >= '0' && s[i] <= '9' && i - at < 2) {
            value = value * 10 + (s[i] - '0');
            i++;
        }
        if (i == at || (i - at == 2 && s[at] == '0') || (i < end && JsonLine.isLiteralChar(s[i])) || value >= CACHED) {
            return -1;
        }
        return value;
    }

    private static boolean hasEscape(char[] s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    private static boolean is(char[] s, int from, int to, String word) {
        return to - from == word.length() && endsWith(s, from, to, word);
    }

    private static boolean endsWith(char[] s, int from, int to, String word) {
        int at = to - word.length();
        if (at < from) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (s[at + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * As the parsed reading's {@code text} of the value at {@code s[at]}: a string decoded, a number or
     * literal as written; {@code null} for an object or list (the caller gives up).
     */
    private static String text(char[] s, int at, int end) {
        char c = s[at];
        if (c == '"') {
            return new JsonLine.Str(s, at + 1, JsonLine.stringClose(s, at, end)).value();
        }
        if (c == '{' || c == '[') {
            return null;
        }
        return new String(s, at, JsonLine.literalEnd(s, at, end) - at);
    }

    /** The definition: the line parsed into maps and lists, then read as the event shapes say. */
    static void readParsed(char[] s, int from, int end, LaneOps ops) {
        Object root = JsonLine.parse(s, from, end);
        if (!(root instanceof Map)) {
            return;
        }
        Map<?, ?> event = (Map<?, ?>) root;
        Object choices = event.get("choices");
        if (choices instanceof List) {
            parsedChoices((List<?>) choices, ops);
            return;
        }
        String type = parsedText(event.get("type"));
        if (type == null) {
            return;
        }
        switch (type) {
            case "content_block_delta": {
                Object delta = event.get("delta");
                if (delta instanceof Map) {
                    Map<?, ?> d = (Map<?, ?>) delta;
                    String key = "ant:" + parsedText(event.get("index"));
                    for (String field : BLOCK_DELTA) {
                        parsedFeed(key, d.get(field), ops);
                    }
                }
                return;
            }
            case "content_block_stop":
                ops.end("ant:" + parsedText(event.get("index")));
                return;
            case "message_stop":
                ops.endAll("ant:");
                return;
            default:
                if (type.endsWith(".delta")) {
                    parsedFeed("resp:" + parsedText(event.get("output_index")) + ":"
                            + parsedText(event.get("content_index")), event.get("delta"), ops);
                } else if (type.endsWith(".done")) {
                    ops.end("resp:" + parsedText(event.get("output_index")) + ":"
                            + parsedText(event.get("content_index")));
                }
        }
    }

    private static void parsedChoices(List<?> choices, LaneOps ops) {
        int position = 0;
        for (Object c : choices) {
            if (!(c instanceof Map)) {
                continue;
            }
            Map<?, ?> choice = (Map<?, ?>) c;
            String index = choice.containsKey("index") ? parsedText(choice.get("index")) : String.valueOf(position);
            position++;
            String key = "oai:" + index;
            Object delta = choice.get("delta");
            if (delta instanceof Map) {
                Map<?, ?> d = (Map<?, ?>) delta;
                parsedFeed(key, d.get("content"), ops);
                Object calls = d.get("tool_calls");
                if (calls instanceof List) {
                    int k = 0;
                    for (Object call : (List<?>) calls) {
                        if (call instanceof Map) {
                            Map<?, ?> tc = (Map<?, ?>) call;
                            String callIndex = tc.containsKey("index") ? parsedText(tc.get("index")) : String.valueOf(k);
                            Object fn = tc.get("function");
                            if (fn instanceof Map) {
                                parsedFeed(key + ":tool:" + callIndex, ((Map<?, ?>) fn).get("arguments"), ops);
                            }
                        }
                        k++;
                    }
                }
            } else {
                parsedFeed(key + ":text", choice.get("text"), ops);
            }
            Object finish = choice.get("finish_reason");
            if (finish instanceof JsonLine.Str) {
                ops.end(key);
                ops.endAll(key + ":");
            }
        }
    }

    private static void parsedFeed(String key, Object value, LaneOps ops) {
        if (value instanceof JsonLine.Str) {
            JsonLine.Str str = (JsonLine.Str) value;
            ops.feed(key, str.start, str.end);
        }
    }

    private static String parsedText(Object v) {
        if (v instanceof JsonLine.Str) {
            return ((JsonLine.Str) v).value();
        }
        return v == null ? null : v.toString();
    }
}

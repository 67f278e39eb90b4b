package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser for one line of JSONL or server-sent events that keeps, for every string, where its
 * content is in the line, so reassembled text maps back to input positions. Strict enough for machine
 * output; returns {@code null} on anything malformed or nested deeper than {@value #MAX_DEPTH}.
 * {@link #readObject} and the methods after it read a line in place instead, building nothing: the same
 * walk ({@link #skip} mirrors {@link #value}), for lines where only a few members matter.
 */
final class JsonLine {
    private static final int MAX_DEPTH = 64;

    private final char[] s;
    private final int end;
    private int pos;

    private JsonLine(char[] s, int from, int end) {
        this.s = s;
        this.pos = from;
        this.end = end;
    }

    /** A parsed value: a {@link Map}, a {@link List}, a {@link Str}, or a number/literal as {@link String}. */
    static Object parse(char[] s, int from, int end) {
        JsonLine p = new JsonLine(s, from, end);
        try {
            Object v = p.value(0);
            p.spaces();
            return p.pos == end ? v : null;
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** {@link #members} and {@link #nextElement}: no such member or element. */
    static final int ABSENT = -1;

    /**
     * Checks {@code s[from, end)} as {@link #parse} would, building nothing, and reads the members of its
     * top-level object: {@code at[k]} becomes where the value of the member named {@code names[k]} starts,
     * or {@link #ABSENT}. Of duplicate names the last counts, as in the map {@code parse} builds; a name
     * written with escapes counts by what it decodes to. False when {@code parse} would not return a map.
     */
    static boolean readObject(char[] s, int from, int end, String[] names, int[] at) {
        JsonLine p = new JsonLine(s, from, end);
        try {
            p.spaces();
            if (p.at(p.pos) != '{') {
                return false;
            }
            p.members(0, names, at);
            p.spaces();
            return p.pos == end;
        } catch (IllegalStateException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    /**
     * As {@link #readObject}, for the object at {@code s[from]} inside a line {@link #readObject} accepted
     * (so it is well-formed and nothing is checked again).
     */
    static void members(char[] s, int from, int end, String[] names, int[] at) {
        JsonLine p = new JsonLine(s, from, end);
        p.members(0, names, at);
    }

    /** Where the first element of the list at {@code s[from]} (in an accepted line) starts, or {@link #ABSENT}. */
    static int firstElement(char[] s, int from, int end) {
        JsonLine p = new JsonLine(s, from + 1, end);
        p.spaces();
        return s[p.pos] == ']' ? ABSENT : p.pos;
    }

    /** Where the element after the one at {@code s[from]} (in an accepted line) starts, or {@link #ABSENT}. */
    static int nextElement(char[] s, int from, int end) {
        JsonLine p = new JsonLine(s, from, end);
        p.skip(0);
        p.spaces();
        if (s[p.pos] != ',') {
            return ABSENT;
        }
        p.pos++;
        p.spaces();
        return p.pos;
    }

    /** Where the closing quote is of the string whose opening quote is {@code s[from]} (in an accepted line). */
    static int stringClose(char[] s, int from, int end) {
        return new JsonLine(s, from, end).stringEnd();
    }

    /** Where the number or literal at {@code s[from]} (in an accepted line) ends. */
    static int literalEnd(char[] s, int from, int end) {
        JsonLine p = new JsonLine(s, from, end);
        p.skipLiteral();
        return p.pos;
    }

    private void members(int depth, String[] names, int[] at) {
        Arrays.fill(at, ABSENT);
        expect('{');
        spaces();
        if (at(pos) == '}') {
            pos++;
            return;
        }
        while (true) {
            spaces();
            if (at(pos) != '"') {
                throw new IllegalStateException();
            }
            int keyStart = pos + 1;
            int keyEnd = stringEnd();
            int k = indexOfName(names, keyStart, keyEnd);
            spaces();
            expect(':');
            spaces();
            int valueStart = pos;
            skip(depth + 1);
            if (k >= 0) {
                at[k] = valueStart;
            }
            spaces();
            if (at(pos) == ',') {
                pos++;
            } else {
                expect('}');
                return;
            }
        }
    }

    private int indexOfName(String[] names, int from, int to) {
        for (int k = 0; k < names.length; k++) {
            if (rawEquals(from, to, names[k])) {
                return k;
            }
        }
        for (int i = from; i < to; i++) {
            if (s[i] == '\\') {
                // rare: a name with escapes is what it decodes to
                String decoded = new Str(s, from, to).value();
                for (int k = 0; k < names.length; k++) {
                    if (decoded.equals(names[k])) {
                        return k;
                    }
                }
                return -1;
            }
        }
        return -1;
    }

    private boolean rawEquals(int from, int to, String name) {
        if (to - from != name.length()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (s[from + k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A string value: {@code [start, end)} is its content between the quotes, still escaped. */
    static final class Str {
        final char[] line;
        final int start;
        final int end;

        Str(char[] line, int start, int end) {
            this.line = line;
            this.start = start;
            this.end = end;
        }

        /** Receives each decoded character with the position and width of its (escaped) form. */
        interface CharSink {
            void accept(char c, int at, int width);
        }

        void forEachChar(CharSink sink) {
            int i = start;
            while (i < end) {
                char c = line[i];
                if (c == '\\' && i + 1 < end) {
                    int w = escapeWidth(line, i);
                    sink.accept(JsonStringDecoder.unescape(line, i), i, w);
                    i += w;
                } else {
                    sink.accept(c, i, 1);
                    i++;
                }
            }
        }

        String value() {
            // keys and most values have no escape: their content is the text between the quotes
            int i = start;
            while (i < end && line[i] != '\\') {
                i++;
            }
            if (i == end) {
                return new String(line, start, end - start);
            }
            StringBuilder sb = new StringBuilder(end - start);
            forEachChar((c, at, w) -> sb.append(c));
            return sb.toString();
        }
    }

    /** The length of the escape at backslash {@code i} of a checked string: 6 for backslash-u, else 2. */
    static int escapeWidth(char[] s, int i) {
        return s[i + 1] == 'u' ? 6 : 2;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException();
        }
        spaces();
        char c = at(pos);
        if (c == '{') {
            pos++;
            Map<String, Object> m = new LinkedHashMap<>();
            spaces();
            if (at(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                spaces();
                if (at(pos) != '"') {
                    throw new IllegalStateException();
                }
                String key = string().value();
                spaces();
                expect(':');
                m.put(key, value(depth + 1));
                spaces();
                if (at(pos) == ',') {
                    pos++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }
        if (c == '[') {
            pos++;
            List<Object> list = new ArrayList<>();
            spaces();
            if (at(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                list.add(value(depth + 1));
                spaces();
                if (at(pos) == ',') {
                    pos++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }
        if (c == '"') {
            return string();
        }
        int start = pos;
        skipLiteral();
        return new String(s, start, pos - start);
    }

    private Str string() {
        int start = pos + 1;
        int close = stringEnd();
        return new Str(s, start, close);
    }

    /** Moves past the string at {@code pos} (its opening quote) and returns where its closing quote is. */
    private int stringEnd() {
        expect('"');
        // the one loop that sees most characters of a line: locals, no call per character
        char[] s = this.s;
        int end = this.end;
        int p = pos;
        while (p < end) {
            char c = s[p];
            if (c == '"') {
                pos = p + 1;
                return p;
            }
            if (c != '\\') {
                p++;
            } else if (p + 1 >= end) {
                break;
            } else if (s[p + 1] != 'u') {
                p += 2;
            } else if (p + 6 > end || JsonStringDecoder.hex4(s, p + 2) < 0) {
                break;
            } else {
                p += 6;
            }
        }
        throw new IllegalStateException();
    }

    /** Moves past the value at {@code pos} as {@link #value} would, building nothing. */
    private void skip(int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException();
        }
        spaces();
        char c = at(pos);
        if (c == '{') {
            pos++;
            spaces();
            if (at(pos) == '}') {
                pos++;
                return;
            }
            while (true) {
                spaces();
                if (at(pos) != '"') {
                    throw new IllegalStateException();
                }
                stringEnd();
                spaces();
                expect(':');
                skip(depth + 1);
                spaces();
                if (at(pos) == ',') {
                    pos++;
                } else {
                    expect('}');
                    return;
                }
            }
        }
        if (c == '[') {
            pos++;
            spaces();
            if (at(pos) == ']') {
                pos++;
                return;
            }
            while (true) {
                skip(depth + 1);
                spaces();
                if (at(pos) == ',') {
                    pos++;
                } else {
                    expect(']');
                    return;
                }
            }
        }
        if (c == '"') {
            stringEnd();
            return;
        }
        skipLiteral();
    }

    private void skipLiteral() {
        int start = pos;
        while (pos < end && isLiteralChar(s[pos])) {
            pos++;
        }
        if (pos == start) {
            throw new IllegalStateException();
        }
    }

    /** The characters {@link #value} takes for a number or literal (leniently: any run of them). */
    static boolean isLiteralChar(char c) {
        switch (c) {
            case '-': case '+': case '.': case 'e': case 'E': case 't': case 'r': case 'u': case 'f':
            case 'a': case 'l': case 's': case 'n':
                return true;
            default:
                return c >= '0' && c <= '9';
        }
    }

    private char at(int i) {
        if (i >= end) {
            throw new IllegalStateException();
        }
        return s[i];
    }

    private void expect(char c) {
        if (pos >= end || s[pos] != c) {
            throw new IllegalStateException();
        }
        pos++;
    }

    private void spaces() {
        while (pos < end && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\n')) {
            pos++;
        }
    }
}

package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON parser for one line of JSONL or server-sent events that keeps, for every string, where its
 * content is in the line, so reassembled text maps back to input positions. Strict enough for machine
 * output; returns {@code null} on anything malformed or nested deeper than {@value #MAX_DEPTH}.
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
                    char e = line[i + 1];
                    char d;
                    int w = 2;
                    switch (e) {
                        case 'n': d = '\n'; break;
                        case 't': d = '\t'; break;
                        case 'r': d = '\r'; break;
                        case 'b': d = '\b'; break;
                        case 'f': d = '\f'; break;
                        case 'u':
                            d = (char) JsonStringDecoder.hex4(line, i + 2);
                            w = 6;
                            break;
                        default: d = e;
                    }
                    sink.accept(d, i, w);
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
        while (pos < end && "-+.0123456789eEtruefalsn".indexOf(at(pos)) >= 0) {
            pos++;
        }
        if (pos == start) {
            throw new IllegalStateException();
        }
        return new String(s, start, pos - start);
    }

    private Str string() {
        expect('"');
        int start = pos;
        while (true) {
            char c = at(pos);
            if (c == '\\') {
                if (at(pos + 1) == 'u' && (pos + 6 > end || JsonStringDecoder.hex4(s, pos + 2) < 0)) {
                    throw new IllegalStateException();
                }
                pos += at(pos + 1) == 'u' ? 6 : 2;
            } else if (c == '"') {
                Str str = new Str(s, start, pos);
                pos++;
                return str;
            } else {
                pos++;
            }
            if (pos >= end) {
                throw new IllegalStateException();
            }
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

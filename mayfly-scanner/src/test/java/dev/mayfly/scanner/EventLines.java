package dev.mayfly.scanner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Random JSON lines shaped like streamed-LLM events (and near misses) for differential tests: members in
 * any order, extra and duplicate members, look-alike events nested deeper, escapes in strings (and, when
 * asked, in member names and event types), odd index values, blanks between tokens, and a share of lines
 * truncated or with one character changed.
 */
final class EventLines {
    private static final String[] TYPES = {
        "content_block_delta", "content_block_stop", "message_stop", "response.output_text.delta",
        "response.output_text.done", "response.function_call_arguments.delta", "message", "tool_use",
        "text_delta", "message_start", "content_block_start", ".delta", ".done", "delta", "x.don", "",
    };
    private static final String[] INDEXES = {
        "0", "1", "2", "15", "16", "123", "01", "1.0", "-1", "1e2", "null", "true", "\"0\"", "\"1\"",
        "\"x\\u0031\"", "{\"a\":1}", "[0]", "[]", "{}",
    };

    private static final String MUTATIONS = "{}[]\",:\\ a0u";

    private final Random random;
    private final boolean escapeNames;

    EventLines(Random random, boolean escapeNames) {
        this.random = random;
        this.escapeNames = escapeNames;
    }

    String line() {
        StringBuilder sb = new StringBuilder();
        if (chance(0.05)) {
            sb.append(blank());
        }
        sb.append(event(0));
        if (chance(0.05)) {
            sb.append(blank());
        }
        String s = sb.toString();
        double r = random.nextDouble();
        if (r < 0.08 && s.length() > 1) {
            return s.substring(0, random.nextInt(s.length()));
        }
        if (r < 0.14 && s.length() > 1) {
            int at = random.nextInt(s.length());
            String repl = String.valueOf(MUTATIONS.charAt(random.nextInt(MUTATIONS.length())));
            return s.substring(0, at) + (chance(0.3) ? "" : repl) + s.substring(at + 1);
        }
        if (r < 0.16) {
            return s + pick("}", "]", ",", "x", "\"");
        }
        return s;
    }

    private String event(int depth) {
        List<String> members = new ArrayList<>();
        switch (random.nextInt(6)) {
            case 0:
            case 1:
                members.add(member("choices", choices(depth)));
                break;
            case 2:
                members.add(member("type", type()));
                members.add(member("index", index()));
                members.add(member("delta", chance(0.8) ? blockDelta() : value(depth)));
                break;
            case 3:
                members.add(member("type", type()));
                if (chance(0.8)) {
                    members.add(member("output_index", index()));
                }
                if (chance(0.8)) {
                    members.add(member("content_index", index()));
                }
                members.add(member("delta", chance(0.8) ? str() : value(depth)));
                break;
            case 4:
                members.add(member("type", type()));
                members.add(member("index", index()));
                break;
            default:
                members.add(member("type", type()));
                members.add(member("content", str()));
        }
        int extras = random.nextInt(4);
        for (int i = 0; i < extras; i++) {
            members.add(member(pick("id", "model", "object", "usage", "text", "role", "index", "type",
                    "delta", "choices", "output_index", "content_index"), value(depth)));
        }
        if (depth == 0 && chance(0.03)) {
            // nesting about as deep as the parse allows (it gives up past 64 levels)
            int levels = 58 + random.nextInt(10);
            String open = chance(0.5) ? "[" : "{\"a\":";
            String close = open.equals("[") ? "]" : "}";
            members.add(member("deep", open.repeat(levels) + "0" + close.repeat(levels)));
        }
        if (chance(0.15)) {
            // a duplicate: the parsed map keeps the last
            members.add(member(pick("type", "index", "delta", "choices"), chance(0.5) ? type() : index()));
        }
        Collections.shuffle(members, random);
        return object(members);
    }

    private String choices(int depth) {
        List<String> items = new ArrayList<>();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
            if (chance(0.1)) {
                items.add(value(depth + 1));
                continue;
            }
            List<String> m = new ArrayList<>();
            if (chance(0.8)) {
                m.add(member("index", index()));
            }
            if (chance(0.75)) {
                m.add(member("delta", chance(0.85) ? choiceDelta() : value(depth + 1)));
            }
            if (chance(0.4)) {
                m.add(member("text", chance(0.8) ? str() : value(depth + 1)));
            }
            if (chance(0.6)) {
                m.add(member("finish_reason", pick("null", "\"stop\"", "\"length\"", "1", "{}")));
            }
            if (chance(0.1)) {
                m.add(member(pick("index", "delta", "text", "finish_reason"), index()));
            }
            Collections.shuffle(m, random);
            items.add(object(m));
        }
        return list(items);
    }

    private String choiceDelta() {
        List<String> m = new ArrayList<>();
        if (chance(0.3)) {
            m.add(member("role", "\"assistant\""));
        }
        if (chance(0.7)) {
            m.add(member("content", chance(0.9) ? str() : pick("null", "1", "[]")));
        }
        if (chance(0.3)) {
            List<String> calls = new ArrayList<>();
            int n = random.nextInt(3);
            for (int i = 0; i < n; i++) {
                if (chance(0.1)) {
                    calls.add(index());
                    continue;
                }
                List<String> c = new ArrayList<>();
                if (chance(0.7)) {
                    c.add(member("index", index()));
                }
                if (chance(0.3)) {
                    c.add(member("id", str()));
                }
                c.add(member("function", chance(0.9)
                        ? object(List.of(member("arguments", chance(0.9) ? str() : "null")))
                        : str()));
                Collections.shuffle(c, random);
                calls.add(object(c));
            }
            m.add(member("tool_calls", list(calls)));
        }
        Collections.shuffle(m, random);
        return object(m);
    }

    private String blockDelta() {
        List<String> m = new ArrayList<>();
        m.add(member("type", pick("\"text_delta\"", "\"input_json_delta\"", "\"thinking_delta\"")));
        for (String f : new String[] {"text", "partial_json", "thinking", "signature"}) {
            if (chance(0.4)) {
                m.add(member(f, chance(0.9) ? str() : index()));
            }
        }
        Collections.shuffle(m, random);
        return object(m);
    }

    private String value(int depth) {
        if (depth > 3) {
            return str();
        }
        switch (random.nextInt(7)) {
            case 0:
                return str();
            case 1:
                return index();
            case 2:
                return event(depth + 1); // a look-alike, nested
            case 3:
                return list(List.of(str(), index()));
            case 4:
                return object(List.of(member("type", type()), member("text", str())));
            case 5:
                return pick("null", "true", "false", "-0.5e3", "[]", "{}");
            default:
                return '"' + type() .replace("\"", "") + '"';
        }
    }

    private String type() {
        if (chance(0.05)) {
            return pick("1", "null", "{\"a\":\"content_block_delta\"}", "[\"message_stop\"]");
        }
        String t = TYPES[random.nextInt(TYPES.length)];
        return '"' + (escapeNames && chance(0.15) ? escapeOne(t) : t) + '"';
    }

    private String index() {
        return INDEXES[random.nextInt(INDEXES.length)];
    }

    private String str() {
        StringBuilder sb = new StringBuilder("\"");
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(12)) {
                case 0:
                    sb.append(pick("\\\"", "\\\\", "\\n", "\\t", "\\/", "\\r", "\\b", "\\f"));
                    break;
                case 1:
                    sb.append(pick("\\u00e9", "\\u0041", "\\uD83D\\uDE00", "\\u002E", "\\q"));
                    break;
                case 2:
                    sb.append(pick("é", "日", "\u0001", "delta\"", "stop", "{\\\"type\\\":\\\"message_stop\\\"}"));
                    break;
                default:
                    sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        if (chance(0.02)) {
            // not a string the parse accepts: the whole line is no event
            sb.append(pick("\\u12", "\\uZZZZ", "\\"));
        }
        return sb.append('"').toString();
    }

    private String member(String name, String value) {
        String n = escapeNames && chance(0.08) ? escapeOne(name) : name;
        return '"' + n + '"' + blank() + ':' + blank() + value;
    }

    /** The same text with one character written as a JSON escape. */
    private String escapeOne(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int at = random.nextInt(s.length());
        char c = s.charAt(at);
        String esc = chance(0.7) ? String.format("\\u%04x", (int) c) : (c == 'n' || c == 't' || c == 'r'
                || c == 'b' || c == 'f' || c == 'u' ? String.format("\\u%04X", (int) c) : "\\" + c);
        return s.substring(0, at) + esc + s.substring(at + 1);
    }

    private String object(List<String> members) {
        return '{' + blank() + String.join(blank() + ',' + blank(), members) + blank() + '}';
    }

    private String list(List<String> items) {
        return '[' + blank() + String.join(blank() + ',' + blank(), items) + blank() + ']';
    }

    private String blank() {
        return chance(0.85) ? "" : pick(" ", "\t", "  ", "\r", "\n", " \t");
    }

    private String pick(String... options) {
        return options[random.nextInt(options.length)];
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }
}

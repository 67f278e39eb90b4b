package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-place reading of an event line ({@link StreamEvents#read}) against its definition, the line
 * parsed into maps ({@link StreamEvents#readParsed}), on random and adversarial lines: members in any
 * order, extra and duplicate members, escapes in names and values, look-alikes nested deeper, odd index
 * values, blanks, truncated and mutated lines. Also the checks {@link JsonLine#readObject} makes against
 * {@link JsonLine#parse}, and that the pre-filter drops no line the definition acts on.
 */
class StreamEventsTest {
    private static final int LINES = 60_000;

    @Test
    void the_in_place_reading_records_what_the_parsed_reading_records() {
        Random random = new Random(20261203);
        EventLines gen = new EventLines(random, true);
        StreamEvents events = new StreamEvents();
        int acted = 0;
        int gaveUp = 0;
        for (int n = 0; n < LINES; n++) {
            char[] line = gen.line().toCharArray();
            LaneOps fast = new LaneOps();
            LaneOps parsed = new LaneOps();
            StreamEvents.readParsed(line, 0, line.length, parsed);
            if (events.read(line, 0, line.length, fast)) {
                assertThat(fast.describe()).as("%s", new String(line)).isEqualTo(parsed.describe());
            } else {
                gaveUp++;
                assertThat(fast.size).as("gave up having recorded something: %s", new String(line)).isZero();
            }
            if (parsed.size > 0) {
                acted++;
            }
        }
        // the generator must exercise what matters: many events; the lines given up on are those with an
        // index that is an object or list (4 of the generator's 19 index values)
        assertThat(acted).isGreaterThan(LINES / 5);
        assertThat(gaveUp).isLessThan(LINES / 10);
    }

    @Test
    void well_known_events_are_read_in_place() {
        String[] lines = {
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"mfy_\"},\"finish_reason\":null}]}",
            "{\"choices\":[{\"index\":1,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}",
            "{\"choices\":[{\"text\":\"legacy\",\"index\":0,\"finish_reason\":\"stop\"}]}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}",
            "{\"type\":\"content_block_stop\",\"index\":2}",
            "{\"type\":\"message_stop\"}",
            "{\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":1,\"delta\":\"x\"}",
            "{\"type\":\"response.output_text.done\",\"output_index\":0,\"content_index\":1,\"text\":\"x\"}",
        };
        String[][] expected = {
            {"feed oai:0 \"mfy_\""},
            {"feed oai:1:tool:0 \"{\\\"a\\\"\""},
            {"feed oai:0:text \"legacy\"", "end oai:0", "endAll oai:0:"},
            {"feed ant:0 \"hi\""},
            {"end ant:2"},
            {"endAll ant:"},
            {"feed resp:0:1 \"x\""},
            {"end resp:0:1"},
        };
        StreamEvents events = new StreamEvents();
        for (int i = 0; i < lines.length; i++) {
            char[] line = lines[i].toCharArray();
            LaneOps ops = new LaneOps();
            assertThat(events.read(line, 0, line.length, ops)).isTrue();
            assertThat(readable(ops, line)).as(lines[i]).containsExactly(expected[i]);
            LaneOps parsed = new LaneOps();
            StreamEvents.readParsed(line, 0, line.length, parsed);
            assertThat(ops.describe()).isEqualTo(parsed.describe());
        }
    }

    /** The operations with each fed string as it is written in the line. */
    private static List<String> readable(LaneOps ops, char[] line) {
        List<String> out = new java.util.ArrayList<>(ops.describe());
        for (int i = 0; i < ops.size; i++) {
            if (ops.kinds[i] == LaneOps.FEED) {
                out.set(i, "feed " + ops.keys[i] + " \"" + new String(line, ops.starts[i], ops.ends[i] - ops.starts[i]) + "\"");
            }
        }
        return out;
    }

    @Test
    void duplicate_members_count_by_the_last_as_in_the_parsed_map() {
        char[] line = ("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\":\"a\",\"text\":\"b\"},"
                + "\"index\":3,\"type\":\"content_block_delta\"}").toCharArray();
        LaneOps ops = new LaneOps();
        assertThat(new StreamEvents().read(line, 0, line.length, ops)).isTrue();
        assertThat(ops.describe()).containsExactly("feed ant:3 [" + (new String(line).indexOf("\"b\"") + 1) + ","
                + (new String(line).indexOf("\"b\"") + 2) + ")");
    }

    @Test
    void an_index_that_is_an_object_is_left_to_the_parsed_reading() {
        char[] line = "{\"type\":\"content_block_stop\",\"index\":{\"a\":1}}".toCharArray();
        LaneOps ops = new LaneOps();
        assertThat(new StreamEvents().read(line, 0, line.length, ops)).isFalse();
        assertThat(ops.size).isZero();
    }

    @Test
    void read_object_accepts_exactly_what_parse_accepts_and_finds_the_members_the_map_holds() {
        Random random = new Random(7);
        EventLines gen = new EventLines(random, true);
        String[] names = {"choices", "type", "index", "delta", "output_index", "content_index"};
        int[] at = new int[names.length];
        for (int n = 0; n < LINES; n++) {
            char[] line = gen.line().toCharArray();
            Object parsed = JsonLine.parse(line, 0, line.length);
            boolean read = JsonLine.readObject(line, 0, line.length, names, at);
            assertThat(read).as("%s", new String(line)).isEqualTo(parsed instanceof Map);
            if (!read) {
                continue;
            }
            Map<?, ?> map = (Map<?, ?>) parsed;
            for (int k = 0; k < names.length; k++) {
                Object v = map.get(names[k]);
                if (v == null) {
                    assertThat(at[k]).isEqualTo(JsonLine.ABSENT);
                } else if (v instanceof JsonLine.Str) {
                    assertThat(at[k]).as("%s in %s", names[k], new String(line)).isEqualTo(((JsonLine.Str) v).start - 1);
                } else {
                    char c = line[at[k]];
                    assertThat(c).isEqualTo(v instanceof Map ? '{' : v instanceof List ? '[' : c);
                    if (v instanceof String) {
                        assertThat(new String(line, at[k], JsonLine.literalEnd(line, at[k], line.length) - at[k]))
                                .isEqualTo(v);
                    }
                }
            }
        }
    }

    @Test
    void the_pre_filter_passes_every_line_the_parsed_reading_acts_on_when_names_are_unescaped() {
        Random random = new Random(11);
        EventLines gen = new EventLines(random, false);
        int acted = 0;
        for (int n = 0; n < LINES; n++) {
            char[] line = gen.line().toCharArray();
            LaneOps parsed = new LaneOps();
            StreamEvents.readParsed(line, 0, line.length, parsed);
            if (parsed.size > 0) {
                acted++;
                assertThat(DeltaReassembler.namesStreamEvent(line, 0, line.length)).as("%s", new String(line)).isTrue();
            }
        }
        assertThat(acted).isGreaterThan(LINES / 5);
    }

    @Test
    void the_pre_filter_looks_for_names_before_a_quote() {
        assertThat(passes("{\"type\":\"response.output_text.done\",\"output_index\":0}")).isTrue();
        assertThat(passes("{\"choices\":[{\"text\":\"x\"}]}")).isTrue();
        assertThat(passes("{\"type\":\"message_stop\"}")).isTrue();
        assertThat(passes("{\"delta\":1}")).isTrue();
        assertThat(passes("{\"type\":\"message\",\"content\":\"stop the delta; done\"}")).isFalse();
        assertThat(passes("{\"a\":\"x\\\"delta\\\"\"}")).isFalse();
        assertThat(passes("{\"s\":\"hoices\"}")).isFalse();
        assertThat(passes("lta\"")).isFalse();
    }

    @Test
    void the_parse_still_rejects_what_it_rejected() {
        // the parse is the definition both readings are held to: pin the edges its refactoring kept
        for (String bad : new String[] {"{\"a\":\"\\u12\"}", "{\"a\":\"\\uZZZZ\"}", "{\"a\":\"x\\\"}", "{\"a\":}",
                "{\"a\":1,}", "{\"a\" 1}", "{\"a\":x}", "{\"a\":0x1}", "{\"a\":1} x", "{\"a\":\"x", "[".repeat(66) + "]".repeat(66)}) {
            assertThat(JsonLine.parse(bad.toCharArray(), 0, bad.length())).as(bad).isNull();
        }
        for (String good : new String[] {"{\"a\":\"\\u00e9\\q\"}", "{\"a\":01e}", " {\"a\" :\t[ ] }\r",
                "[".repeat(65) + "]".repeat(65)}) {
            assertThat(JsonLine.parse(good.toCharArray(), 0, good.length())).as(good).isNotNull();
        }
    }

    private static boolean passes(String line) {
        char[] l = line.toCharArray();
        return DeltaReassembler.namesStreamEvent(l, 0, l.length);
    }
}

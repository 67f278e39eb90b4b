package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoders' and the window's fast paths (bulk copies between escapes, positions kept only for
 * rewritten characters, the base64 probe that skips
 * MIN_RUN characters at a time, the lazy newline index, the stream-event line test) give exactly what the
 * plain one-character-at-a-time versions below give, on random escape-dense text.
 */
class DecoderFastPathTest {
    private static final String[] PIECES = {
        "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f", "\\r", "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\\uZZZZ", "\\x", "\\",
        "%41", "%2F", "%25", "%5C", "%C3%A9", "%F0%9F%98%80", "%C3", "%ZZ", "%", "%4", "\n", "\r\n", " ", "\"", "=", ":",
        "abc", "token", "QUtJQUlPU0ZPRE5ON0VYQU1QTEU=", "dXNlcjpwYXNzd29yZDEyMzQ1Ng", "0123456789abcdef0123",
        "aGVsbG8gd29ybGQgaGVsbG8gd29ybGQ", "-_+/", "\u00e9", "data: ", "{", "[DONE]", "\t",
    };

    @Test
    void json_unescaping_equals_the_plain_loop() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            char[] text = randomText(random);
            View v = View.root(text, text.length);
            View fast = JsonStringDecoder.decode(v, new Scratch(4));
            View plain = PlainDecoders.json(v);
            assertSame(fast, plain, text);
        }
    }

    @Test
    void percent_decoding_equals_the_plain_loop() {
        Random random = new Random(8);
        for (int round = 0; round < 2000; round++) {
            char[] text = randomText(random);
            View v = View.root(text, text.length);
            View fast = PercentDecoder.decode(v, new Scratch(4));
            View plain = PlainDecoders.percent(v);
            assertSame(fast, plain, text);
        }
    }

    @Test
    void base64_runs_are_the_plain_walks_runs() {
        Random random = new Random(9);
        int views = 0;
        for (int round = 0; round < 3000; round++) {
            char[] text = randomText(random);
            View v = View.root(text, text.length);
            boolean truncated = random.nextBoolean();
            List<View> fast = new ArrayList<>();
            Base64Decoder.decode(v, truncated, fast);
            List<View> plain = new ArrayList<>();
            PlainDecoders.base64(v, truncated, plain);
            assertThat(fast).hasSameSizeAs(plain);
            for (int i = 0; i < fast.size(); i++) {
                assertThat(new String(fast.get(i).text, 0, fast.get(i).length))
                        .isEqualTo(new String(plain.get(i).text, 0, plain.get(i).length));
                assertThat(fast.get(i).toSegment(0, fast.get(i).length)).containsExactly(
                        plain.get(i).toSegment(0, plain.get(i).length));
            }
            views += fast.size();
        }
        assertThat(views).isGreaterThan(100);
    }

    @Test
    void a_json_line_string_without_escapes_is_its_text() {
        Random random = new Random(17);
        String[] pieces = {"a", "B", "1", " ", "\u00e9", "\\n", "\\\"", "\\u0041", "\\\\", "\\/", "delta", ":"};
        for (int round = 0; round < 5000; round++) {
            StringBuilder sb = new StringBuilder("{\"");
            for (int k = random.nextInt(8); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            sb.append("\":\"");
            for (int k = random.nextInt(8); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            sb.append("\"}");
            char[] line = sb.toString().toCharArray();
            Object parsed = JsonLine.parse(line, 0, line.length);
            assertThat(parsed).as(sb.toString()).isInstanceOf(java.util.Map.class);
            for (java.util.Map.Entry<?, ?> e : ((java.util.Map<?, ?>) parsed).entrySet()) {
                JsonLine.Str str = (JsonLine.Str) e.getValue();
                StringBuilder plain = new StringBuilder();
                str.forEachChar((c, at, w) -> plain.append(c));
                assertThat(str.value()).isEqualTo(plain.toString());
            }
        }
    }

    @Test
    void a_base64_run_refused_early_is_never_text() {
        Random random = new Random(16);
        byte[] textish = "hello world: \u00e9\u20ac\ud83d\ude00 user:pass\t\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int refused = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] bytes = new byte[4 + random.nextInt(120)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : textish[random.nextInt(textish.length)];
            }
            int early = Math.min(bytes.length, 1 + random.nextInt(16));
            if (Base64Decoder.failsEarly(bytes, early)) {
                refused++;
                int probe = early + random.nextInt(bytes.length - early + 1);
                assertThat(Base64Decoder.isText(bytes, probe, random.nextBoolean())).isFalse();
            }
        }
        assertThat(refused).isGreaterThan(10_000);
    }

    @Test
    void lines_and_columns_survive_lazy_indexing_and_drops() {
        Random random = new Random(11);
        for (int round = 0; round < 400; round++) {
            String input;
            int window;
            if (round % 4 == 0) {
                // long stretches without a newline and dense ones, windows over several counting blocks
                StringBuilder sb = new StringBuilder();
                while (sb.length() < 40_000) {
                    int run = random.nextInt(3) == 0 ? random.nextInt(9000) : random.nextInt(80);
                    sb.append("x".repeat(run)).append('\n');
                }
                input = sb.toString();
                window = 1 + random.nextInt(20_000);
            } else {
                input = new String(randomText(random)) + new String(randomText(random));
                window = 1 + random.nextInt(40);
            }
            MainSegment segment = new MainSegment();
            int base = 0;
            while (base < input.length()) {
                int len = Math.min(window, input.length() - base);
                char[] buf = input.substring(base, base + len).toCharArray();
                segment.set(buf, len, 0, len);
                for (int probe = 0; probe < 3; probe++) {
                    int i = random.nextInt(len);
                    assertThat(segment.line(i)).isEqualTo(line(input, base + i));
                    assertThat(segment.column(i)).isEqualTo(column(input, base + i));
                }
                int drop = 1 + random.nextInt(len);
                segment.drop(drop);
                base += drop;
            }
        }
    }

    @Test
    void a_line_is_passed_over_only_when_it_cannot_be_a_stream_event() {
        Random random = new Random(12);
        String[] starts = {"", " ", "\t ", "data:", "data: ", "data:  ", "dat", "d", "Data:", "x", "{", "[DONE]", "[", "}"};
        for (int round = 0; round < 20000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(4); k > 0; k--) {
                sb.append(starts[random.nextInt(starts.length)]);
            }
            char[] line = sb.toString().toCharArray();
            boolean event = PlainDecoders.mayBeEvent(line);
            for (int cut = 0; cut <= line.length; cut++) {
                if (DeltaReassembler.cannotBeEvent(line, 0, cut)) {
                    assertThat(event).as("'%s' cut at %d", sb, cut).isFalse();
                }
            }
        }
    }

    private static char[] randomText(Random random) {
        StringBuilder sb = new StringBuilder();
        int pieces = random.nextInt(120);
        for (int i = 0; i < pieces; i++) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return sb.toString().toCharArray();
    }

    private static void assertSame(View fast, View plain, char[] input) {
        String as = new String(input);
        if (plain == null) {
            assertThat(fast).as(as).isNull();
            return;
        }
        assertThat(fast).as(as).isNotNull();
        assertThat(new String(fast.text, 0, fast.length)).as(as).isEqualTo(new String(plain.text, 0, plain.length));
        for (int i = 0; i <= plain.length; i++) {
            assertThat(fast.parentStart(i)).as(as).isEqualTo(PlainDecoders.lastStarts[i]);
            assertThat(fast.firstFromParent(PlainDecoders.lastStarts[i])).as(as)
                    .isEqualTo(firstAtLeast(PlainDecoders.lastStarts, plain.length, PlainDecoders.lastStarts[i]));
        }
        assertThat(fast.changedPositions()).as(as).containsExactly(plain.changedPositions());
    }

    private static int firstAtLeast(int[] starts, int n, int value) {
        int i = 0;
        while (i < n && starts[i] < value) {
            i++;
        }
        return i;
    }

    private static int line(String s, int i) {
        int line = 1;
        for (int k = 0; k < i; k++) {
            if (s.charAt(k) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int column(String s, int i) {
        int last = s.lastIndexOf('\n', i - 1);
        return i - last;
    }
}

package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A decoded view's prefilter hits, built from its parent's in unchanged stretches plus a scan around
 * rewritten characters, are exactly the hits of a full scan of the view, in the same order.
 */
class PrefilterReuseTest {
    private static final String[] PIECES = {
        "https://hooks.slack.com/services/", "https:\\/\\/hooks.slack.com\\/services\\/", "https%3A%2F%2Fhooks.slack.com%2Ftriggers%2F",
        // a single rewritten character at the very edge of the longest literal containing it
        "https://hooks.slack.com/workflows\\/", "\\u0068ttps://hooks.slack.com/workflows/", "https://hooks.slack.com/workflows%2F",
        "AKIA", "AK\\u0049A", "%41KIA", "ghp_", "gh\\u0070_", "mfy_rt_", "mfy\\u005frt_", "mfy%5Frt_", "sk-ant-admin9",
        "token", "to\\u006ben", "password", "pass%77ord", "\\\"", "\\\\\\\"", "\\n", "\\/", "%2F", "%25", "%5C%22",
        "%F0%9F%98%80", "\\ud83d\\ude00", "-----BEGIN ", "xoxb-", "= ", "\"", " ", "abc", "\u00e9",
    };

    @Test
    void reused_hits_equal_a_full_scan_of_every_decoded_view() {
        CompiledRules compiled = new CompiledRules(BuiltinRules.all());
        Settings settings = new Settings(SecretScanner.builder());
        Random random = new Random(42);
        int views = 0;
        for (int round = 0; round < 300; round++) {
            StringBuilder sb = new StringBuilder();
            int pieces = 1 + random.nextInt(200);
            for (int i = 0; i < pieces; i++) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            char[] text = sb.toString().toCharArray();
            ChunkScanner scanner = new ChunkScanner(compiled, settings, "t", null);
            Scratch scratch = new Scratch(settings.decodeDepth);
            View root = View.root(text, text.length);
            // the root view is searched only near its own stretch: its children must make up the rest
            int from = random.nextInt(text.length);
            int to = from + random.nextInt(text.length - from + 1);
            assertFull(scanner.prefilter(root, from, to), compiled, root, from, to);
            assertEscapeStarts(scanner, root);
            views += descend(scanner, scratch, compiled, root, settings.decodeDepth);
        }
        assertThat(views).isGreaterThan(300);
    }

    private static int descend(ChunkScanner scanner, Scratch scratch, CompiledRules compiled, View v, int depth) {
        if (v.depth >= depth) {
            return 0;
        }
        int views = 0;
        for (int decoder = 0; decoder < 2; decoder++) {
            View d = decoder == 0 ? JsonStringDecoder.decode(v, scratch) : PercentDecoder.decode(v, scratch);
            if (d == null) {
                continue;
            }
            assertFull(scanner.prefilter(d, 0, d.length), compiled, d, 0, d.length);
            assertEscapeStarts(scanner, d);
            views += 1 + descend(scanner, scratch, compiled, d, depth);
        }
        return views;
    }

    /** The escape positions read off a view's hits (and, for the root, the text outside them) are all of them. */
    private static void assertEscapeStarts(ChunkScanner scanner, View v) {
        for (char c : new char[] {'%', '\\'}) {
            IntList walked = JsonStringDecoder.positionsOf(v.text, v.length, c, new IntList());
            assertThat(scanner.escapeStarts(v, c).toArray()).as("positions of " + c)
                    .containsExactly(walked.toArray());
        }
    }

    private static void assertFull(PrefilterHits actual, CompiledRules compiled, View v, int from, int to) {
        PrefilterHits full = new PrefilterHits(compiled.automatonWithEscapes);
        full.clear(from, to);
        compiled.automatonWithEscapes.scan(v.text, from, to, full);
        long[] expected = Arrays.copyOf(full.keys, full.size);
        long[] sorted = expected.clone();
        Arrays.sort(sorted);
        assertThat(expected).as("the automaton reports in key order").containsExactly(sorted);
        assertThat(Arrays.copyOf(actual.keys, actual.size)).as(new String(v.text, 0, v.length)).containsExactly(expected);
    }
}

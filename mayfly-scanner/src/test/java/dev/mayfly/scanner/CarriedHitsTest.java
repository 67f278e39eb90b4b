package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A main window starts with what the last one kept; its root hits are the carried ones plus a search past
 * them. Driven the way {@link StreamScan} drives windows (scan, drop, shift, carry), every window's root
 * hits must equal a full search of that window.
 */
class CarriedHitsTest {
    private static final String[] PIECES = {
        "token", "key", "password", "pass", "secret_", "AKIA", "ghp_", "mfy_rt_", "-----BEGIN ",
        "https://hooks.slack.com/services/", "%2F", "\\u0041", "\\\"", "%", "\\", " ", "\n", "abc", "\u00e9", "t", "o",
    };

    @Test
    void each_windows_root_hits_equal_a_full_search_of_it() {
        CompiledRules compiled = new CompiledRules(BuiltinRules.all());
        Settings settings = new Settings(SecretScanner.builder());
        Random random = new Random(11);
        int windows = 0;
        for (int round = 0; round < 40; round++) {
            StringBuilder sb = new StringBuilder();
            int target = 2_000 + random.nextInt(60_000);
            while (sb.length() < target) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            char[] input = sb.toString().toCharArray();
            ChunkScanner scanner = new ChunkScanner(compiled, settings, "t", finding -> { });
            MainSegment segment = new MainSegment();
            int window = 500 + random.nextInt(20_000);
            char[] buf = new char[window];
            int len = 0;
            int read = 0;
            while (true) {
                int n = Math.min(window - len, input.length - read);
                System.arraycopy(input, read, buf, len, n);
                len += n;
                read += n;
                boolean eof = read == input.length;
                int ownEnd = eof ? len : len - random.nextInt(len / 2 + 1);
                int ownStart = Math.min(ownEnd, random.nextInt(len / 4 + 1));
                segment.set(buf, len, ownStart, ownEnd);
                scanner.scan(segment);
                assertFullSearch(scanner.rootHits(), compiled, buf, len);
                windows++;
                if (eof) {
                    break;
                }
                int drop = 1 + random.nextInt(len - 1);
                segment.drop(drop);
                System.arraycopy(buf, drop, buf, 0, len - drop);
                len -= drop;
                scanner.carryRootHits(drop, len);
            }
        }
        assertThat(windows).isGreaterThan(200);
    }

    @Test
    void a_literal_across_the_end_of_the_kept_part_is_found_wherever_it_is_cut() {
        CompiledRules compiled = new CompiledRules(BuiltinRules.all());
        Settings settings = new Settings(SecretScanner.builder());
        String text = "x \\%https://hooks.slack.com/workflows/ https://hooks.slack.com/services/ -----BEGIN PRIVATE KEY password=% \\u0041";
        char[] input = text.toCharArray();
        for (int kept = 1; kept < input.length; kept++) {
            for (int drop : new int[] {1, 5}) {
                ChunkScanner scanner = new ChunkScanner(compiled, settings, "t", finding -> { });
                MainSegment segment = new MainSegment();
                // the first window is the dropped characters and the kept ones; the second adds the rest
                char[] buf = new char[drop + input.length];
                Arrays.fill(buf, 0, drop, 'z');
                System.arraycopy(input, 0, buf, drop, kept);
                segment.set(buf, drop + kept, 0, drop);
                scanner.scan(segment);
                segment.drop(drop);
                System.arraycopy(buf, drop, buf, 0, kept);
                scanner.carryRootHits(drop, kept);
                System.arraycopy(input, kept, buf, kept, input.length - kept);
                segment.set(buf, input.length, 0, input.length);
                scanner.scan(segment);
                assertFullSearch(scanner.rootHits(), compiled, buf, input.length);
            }
        }
    }

    private static void assertFullSearch(PrefilterHits actual, CompiledRules compiled, char[] text, int length) {
        PrefilterHits full = new PrefilterHits(compiled.automatonWithEscapes);
        full.clear(0, length);
        compiled.automatonWithEscapes.scan(text, 0, length, full);
        assertThat(Arrays.copyOf(actual.keys, actual.size)).containsExactly(Arrays.copyOf(full.keys, full.size));
    }
}

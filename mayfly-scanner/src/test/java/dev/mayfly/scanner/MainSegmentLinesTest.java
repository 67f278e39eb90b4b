package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The window's newline count (blocks counted through {@code String.indexOf} while newlines are sparse,
 * char by char past a block's worth of them and until a block is sparse again) gives the lines and columns
 * of counting every character from the input's start: across sparse and dense blocks and the switches
 * between them, newlines on block boundaries, text that is not Latin-1, and drops of the window's start.
 */
class MainSegmentLinesTest {
    private static final int BLOCK = 4096;

    @Test
    void lines_and_columns_are_those_of_the_whole_input() {
        Random random = new Random(31);
        for (int round = 0; round < 300; round++) {
            String input = randomInput(random);
            int[] lines = lines(input);
            int window = 1 + random.nextInt(random.nextBoolean() ? 3 * BLOCK : 6 * BLOCK);
            MainSegment segment = new MainSegment();
            int base = 0;
            while (base < input.length()) {
                int len = Math.min(window, input.length() - base);
                // the window's buffer is larger than the window, with newlines past its end
                char[] buf = (input.substring(base, base + len) + "\n\n\n").toCharArray();
                segment.set(buf, len, 0, len);
                for (int probe = 0; probe < 6; probe++) {
                    int i = probe < 2 ? nearBlockEdge(random, len) : random.nextInt(len);
                    assertThat(segment.line(i)).as("round %d, position %d", round, base + i).isEqualTo(lines[base + i]);
                    assertThat(segment.column(i)).as("round %d, position %d", round, base + i).isEqualTo(column(input, base + i));
                }
                int drop = 1 + random.nextInt(len);
                segment.drop(drop);
                base += drop;
            }
        }
    }

    @Test
    void a_line_far_into_a_window_counts_every_block_before_it() {
        Random random = new Random(32);
        for (int round = 0; round < 50; round++) {
            String input = randomInput(random);
            int[] lines = lines(input);
            MainSegment segment = new MainSegment();
            segment.set(input.toCharArray(), input.length(), 0, input.length());
            // from the end backwards: the first question counts all blocks at once
            for (int i = input.length() - 1; i >= 0; i -= 1 + random.nextInt(2 * BLOCK)) {
                assertThat(segment.line(i)).isEqualTo(lines[i]);
                assertThat(segment.column(i)).isEqualTo(column(input, i));
            }
        }
    }

    @Test
    void a_newline_at_the_start_of_the_window_is_the_last_one_before_later_blocks() {
        String input = "ab\n" + "x".repeat(2 * BLOCK) + "\n" + "y".repeat(BLOCK);
        MainSegment segment = new MainSegment();
        segment.set(input.toCharArray(), input.length(), 0, input.length());
        segment.drop(2);
        char[] rest = input.substring(2).toCharArray();
        segment.set(rest, rest.length, 0, rest.length);
        assertThat(segment.line(BLOCK + 10)).isEqualTo(2);
        assertThat(segment.column(BLOCK + 10)).isEqualTo(BLOCK + 10);
        assertThat(segment.column(2 * BLOCK + 5)).isEqualTo(4);
        segment.drop(BLOCK + 10);
        assertThat(segment.line(0)).isEqualTo(2);
        assertThat(segment.column(0)).isEqualTo(BLOCK + 10);
    }

    /** Stretches of long lines, of short or empty ones, and of newlines on block edges. */
    private static String randomInput(Random random) {
        StringBuilder sb = new StringBuilder();
        int target = random.nextInt(12 * BLOCK);
        while (sb.length() < target) {
            switch (random.nextInt(6)) {
                case 0 -> sb.append("x".repeat(random.nextInt(3 * BLOCK))).append('\n');
                case 1 -> {
                    for (int k = random.nextInt(600); k > 0; k--) {
                        sb.append("ab".repeat(random.nextInt(6))).append('\n');
                    }
                }
                case 2 -> sb.append("\n".repeat(random.nextInt(300)));
                case 3 -> {
                    int edge = (sb.length() / BLOCK + 1) * BLOCK;
                    sb.append("y".repeat(edge - sb.length() - 1 + random.nextInt(3))).append('\n');
                }
                case 4 -> {
                    for (int k = random.nextInt(100); k > 0; k--) {
                        sb.append("\u4e2d\u6587 \ud83d\ude00 caf\u00e9 ".repeat(random.nextInt(8))).append("\r\n");
                    }
                }
                default -> {
                    for (int k = random.nextInt(60); k > 0; k--) {
                        sb.append("2026-11-18T11:06:40.050Z INFO request ".repeat(1 + random.nextInt(4))).append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int nearBlockEdge(Random random, int len) {
        int edge = BLOCK * random.nextInt(len / BLOCK + 1) + random.nextInt(3) - 1;
        return Math.max(0, Math.min(len - 1, edge));
    }

    /** The line of every position: one plus the newlines before it. */
    private static int[] lines(String s) {
        int[] lines = new int[s.length()];
        int line = 1;
        for (int k = 0; k < s.length(); k++) {
            lines[k] = line;
            if (s.charAt(k) == '\n') {
                line++;
            }
        }
        return lines;
    }

    private static int column(String s, int i) {
        return i - s.lastIndexOf('\n', i - 1);
    }
}

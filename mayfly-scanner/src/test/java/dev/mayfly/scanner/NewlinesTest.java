package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NewlinesTest {
    @Test
    void counts_and_finds_as_a_plain_loop_over_any_range() {
        Random random = new Random(24);
        // newlines among the characters either side of it and the ones that pass the minimum test
        char[] alphabet = {'\n', '\n', '\t', '\u000b', '\r', '\u0000', ' ', 'a', '{', '\u00e9', '\u4e00', '\uffff'};
        for (int round = 0; round < 20_000; round++) {
            char[] t = new char[random.nextInt(64)];
            for (int i = 0; i < t.length; i++) {
                t[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : (char) ('a' + random.nextInt(26));
            }
            int from = random.nextInt(t.length + 1);
            int to = from + random.nextInt(t.length - from + 1);
            int expected = 0;
            for (int i = from; i < to; i++) {
                expected += t[i] == '\n' ? 1 : 0;
            }
            assertThat(Newlines.count(t, from, to)).isEqualTo(expected);
            int first = from;
            while (first < to && t[first] != '\n') {
                first++;
            }
            assertThat(Newlines.next(t, from, to)).isEqualTo(first);
        }
    }
}

package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Aho-Corasick prefilter reports exactly the occurrences a naive search finds. */
class LiteralAutomatonTest {
    @Test
    void finds_every_occurrence_case_insensitively_including_overlaps() {
        LiteralAutomaton ac = LiteralAutomaton.build(List.of("he", "she", "his", "hers", "mfy_rt_"));
        char[] text = "uSHErs and his MFY_RT_x".toCharArray();
        List<String> hits = new ArrayList<>();

        ac.scan(text, 0, text.length, (p, end) -> hits.add(p + "@" + end));

        assertThat(hits).containsExactlyInAnyOrder("1@4", "0@4", "3@6", "2@14", "4@22");
    }

    @Test
    void agrees_with_naive_search_on_random_text() {
        Random r = new Random(3);
        String alphabet = "abcAB_-xyz\u00e9";
        List<String> patterns = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            patterns.add(randomWord(r, "abcab_-xyz", 1 + r.nextInt(5)));
        }
        List<String> distinct = patterns.stream().distinct().toList();
        LiteralAutomaton ac = LiteralAutomaton.build(distinct);
        String text = randomWord(r, alphabet, 20_000);
        String lower = text.toLowerCase(Locale.ROOT);

        long[] count = new long[1];
        ac.scan(text.toCharArray(), 0, text.length(), (p, end) -> {
            assertThat(lower.regionMatches(end - distinct.get(p).length(), distinct.get(p), 0, distinct.get(p).length()))
                    .isTrue();
            count[0]++;
        });

        long naive = 0;
        for (String p : distinct) {
            for (int i = lower.indexOf(p); i >= 0; i = lower.indexOf(p, i + 1)) {
                naive++;
            }
        }
        assertThat(count[0]).isEqualTo(naive);
    }

    @Test
    void two_halves_at_once_report_what_one_pass_reports_in_the_same_order() {
        Random r = new Random(5);
        LiteralAutomaton builtin = new CompiledRules(dev.mayfly.scanner.rules.BuiltinRules.all()).automaton;
        String[] pieces = {"token", "key", "AKIA", "ghp_", "mfy_rt_", "https://hooks.slack.com/services/", "pass",
            "secret", "xoxb-", "-----BEGIN ", " ", "\n", "a", "e", "k", "to", "se", "\u00e9"};
        for (int round = 0; round < 60; round++) {
            StringBuilder sb = new StringBuilder();
            int target = r.nextInt(3 * LiteralAutomaton.SPLIT_MIN);
            while (sb.length() < target) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            char[] text = sb.toString().toCharArray();
            int from = r.nextInt(Math.max(1, text.length / 4));
            int to = text.length - r.nextInt(Math.max(1, text.length / 4));
            if (to < from) {
                continue;
            }
            List<Long> one = new ArrayList<>();
            builtin.scanOne(text, from, to, (p, end) -> one.add((long) end << 16 | p));
            List<Long> split = new ArrayList<>();
            builtin.scan(text, from, to, (p, end) -> split.add((long) end << 16 | p));
            assertThat(split).containsExactlyElementsOf(one);
        }
    }

    @Test
    void scans_only_the_given_range() {
        LiteralAutomaton ac = LiteralAutomaton.build(List.of("abc"));
        char[] text = "abcabcabc".toCharArray();
        List<Integer> ends = new ArrayList<>();

        ac.scan(text, 1, 8, (p, end) -> ends.add(end));

        assertThat(ends).containsExactly(6);
    }

    private static String randomWord(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

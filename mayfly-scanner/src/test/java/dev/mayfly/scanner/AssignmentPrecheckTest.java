package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The generic rule's pre-check never refuses a keyword hit where the rule's regex matches. */
class AssignmentPrecheckTest {
    private static final String[] PIECES = {
        "token", "TOKEN", "password", "pass", "passphrase", "pwd", "secret", "credentials", "api_key", "apikey", "key",
        "_", "a", "1", ".", "-", "_count", "s", "\"", "'", "`", " ", "  ", "\t", "\n", ":", "=", ":=", "=>", "::", "==",
        "abc", "123", "XYZ", "x9", "Q", ",", ";", "<", ">", "(", ")", "[", "]", "{", "}", "\\", "&", "&a=", "&ab", "/", "+",
    };

    @Test
    void a_refused_hit_is_never_a_regex_match() {
        CompiledRules compiled = new CompiledRules(BuiltinRules.all());
        int generic = -1;
        for (int r = 0; r < compiled.rules.length; r++) {
            if (compiled.assignmentPrecheck[r]) {
                generic = r;
            }
        }
        assertThat(generic).isNotNegative();
        int rule = generic;
        Random random = new Random(13);
        int[] counts = new int[3]; // regex matches, refusals, hits
        for (int round = 0; round < 20000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(12); k > 0; k--) {
                sb.append(random.nextInt(3) == 0 ? assignment(random) : PIECES[random.nextInt(PIECES.length)]);
            }
            char[] text = sb.toString().toCharArray();
            int n = random.nextInt(text.length + 1); // a view may end anywhere
            String s = new String(text, 0, n);
            compiled.automaton.scan(text, 0, n, (pattern, end) -> {
                boolean ofRule = false;
                for (int r : compiled.rulesByPattern[pattern]) {
                    ofRule |= r == rule;
                }
                if (!ofRule) {
                    return;
                }
                counts[2]++;
                int start = end - compiled.automaton.patternLength(pattern);
                Matcher m = compiled.rules[rule].regex().orElseThrow().matcher(s);
                m.region(start, Math.min(n, start + compiled.maxLength[rule]));
                m.useTransparentBounds(true);
                m.useAnchoringBounds(false);
                boolean matches = m.lookingAt();
                boolean passes = AssignmentPrecheck.operatorMayFollow(text, end, n);
                counts[0] += matches ? 1 : 0;
                counts[1] += passes ? 0 : 1;
                if (matches) {
                    assertThat(passes).as("'%s' at %d", s, start).isTrue();
                }
            });
        }
        assertThat(counts[0]).isGreaterThan(3000);
        assertThat(counts[1]).isGreaterThan(3000);
    }

    /** Something shaped like an assignment, with a random piece anywhere to break it now and then. */
    private static String assignment(Random random) {
        String[] keys = {"token", "password", "pass", "pwd", "secret", "api-key", "key", "credential"};
        String[] ops = {":", "=", ":=", "=>", " : ", "  =  ", "\t:"};
        String[] quotes = {"", "", "\"", "'", "`"};
        StringBuilder sb = new StringBuilder(keys[random.nextInt(keys.length)]);
        for (int k = random.nextInt(3); k > 0; k--) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        sb.append(quotes[random.nextInt(quotes.length)]).append(" ".repeat(random.nextInt(6)));
        sb.append(ops[random.nextInt(ops.length)]).append(" ".repeat(random.nextInt(6)));
        sb.append(quotes[random.nextInt(quotes.length)]);
        for (int k = random.nextInt(10); k > 0; k--) {
            sb.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)] : "aB3");
        }
        return sb.toString();
    }
}

package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.rules.Rule;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The generic rule matched by hand gives what its regex gives, at every position of random text. */
class GenericAssignmentMatchTest {
    private static final String[] PIECES = {
        "token", "TOKEN", "Password", "passwd", "passphrase", "pass", "pwd", "secret", "credentials", "credential",
        "api_key", "API.KEY", "api-key", "apikey", "api", "key", "KEY", "_", "a", "1", ".", "-", "_count",
        "abcdefghijklmnopqrstuvwxy", "\"", "'", "`", " ", "  ", "\t", "\n", "\r", "\f", "\u000B", ":", "=", ":=", "=>",
        "::", "==", "abc", "123", "XYZ", "x9", ",", ";", "<", ">", "(", ")", "[", "]", "{", "}", "\\", "&", "&a=",
        "&ab", "&" + "p".repeat(40) + "=", "&" + "p".repeat(41) + "=", "&=", "/", "+", "\u00e9", "\u212a", "\u0130",
        "v".repeat(250), "\ud83d\ude00", "\ud83d\ude00\ud83d\ude00\ud83d\ude00", "\ud83d", "\ude00",
        "\ud83d\ude00".repeat(130),
    };

    @Test
    void matches_as_the_regex_does_everywhere() {
        Rule generic = BuiltinRules.all().rules().stream().filter(r -> r.id().equals(BuiltinRules.GENERIC)).findFirst()
                .orElseThrow();
        assertThat(generic.secretGroup()).isEqualTo(2);
        Pattern regex = generic.regex().orElseThrow();
        int maxLength = generic.maxLength();
        Random random = new Random(15);
        int matches = 0;
        int[] out = new int[3];
        for (int round = 0; round < 6000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 1 + random.nextInt(10); k > 0; k--) {
                sb.append(random.nextInt(2) == 0 ? assignment(random) : PIECES[random.nextInt(PIECES.length)]);
            }
            String s = sb.toString();
            char[] text = s.toCharArray();
            int length = text.length;
            for (int at = 0; at < length; at++) {
                // the scanner's region: the rule's reach, or less where the view ends
                int to = random.nextInt(4) == 0 ? at + random.nextInt(length - at + 1) : Math.min(length, at + maxLength);
                Matcher m = regex.matcher(s);
                m.region(at, to);
                m.useTransparentBounds(true);
                m.useAnchoringBounds(false);
                boolean expected = m.lookingAt();
                boolean actual = GenericAssignmentMatch.lookingAt(text, at, to, length, out);
                assertThat(actual).as("'%s' at %d to %d", s, at, to).isEqualTo(expected);
                if (expected) {
                    matches++;
                    assertThat(out).as("'%s' at %d to %d", s, at, to).containsExactly(m.end(), m.start(2), m.end(2));
                }
            }
        }
        assertThat(matches).isGreaterThan(5000);
    }

    private static String assignment(Random random) {
        String[] keys = {"token", "password", "Pass", "pwd", "secret", "api-key", "apiKey", "key", "credentials"};
        String[] ops = {":", "=", ":=", "=>", " : ", "  =  ", "\t:", "=\n"};
        String[] quotes = {"", "", "\"", "'", "`"};
        StringBuilder sb = new StringBuilder(keys[random.nextInt(keys.length)]);
        for (int k = random.nextInt(3); k > 0; k--) {
            sb.append(PIECES[random.nextInt(PIECES.length)]);
        }
        sb.append(quotes[random.nextInt(quotes.length)]).append(" ".repeat(random.nextInt(6)));
        sb.append(ops[random.nextInt(ops.length)]).append(" ".repeat(random.nextInt(6)));
        sb.append(quotes[random.nextInt(quotes.length)]);
        for (int k = random.nextInt(12); k > 0; k--) {
            sb.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)] : "aB3");
        }
        return sb.toString();
    }
}

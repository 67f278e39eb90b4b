package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class GenericAssignmentTest {
    private static final String[] PIECES = {
        "key", "api", "apikey", "private", "access", "auth", "signing", "encryption", "master", "secret", "secre",
        "token", "toke", "credential", "credentia", "_", ".", "-", "--", "k", "ey", "x", "pass", "id", "",
    };

    @Test
    void strong_key_is_the_regex() {
        Random random = new Random(14);
        int strong = 0;
        for (int round = 0; round < 50000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(6); k > 0; k--) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            }
            String key = sb.toString();
            boolean expected = GenericAssignment.STRONG_KEY.matcher(key).find();
            assertThat(GenericAssignment.strongKey(key)).as(key).isEqualTo(expected);
            strong += expected ? 1 : 0;
        }
        assertThat(strong).isBetween(5000, 45000);
    }
}

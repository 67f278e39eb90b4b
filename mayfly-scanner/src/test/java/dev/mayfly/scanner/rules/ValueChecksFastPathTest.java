package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.ValueChecksBefore.GenericAssignmentBefore;
import dev.mayfly.scanner.rules.ValueChecksBefore.IdentifierShapeBefore;
import dev.mayfly.scanner.rules.ValueChecksBefore.PlaceholdersBefore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generic rule's value checks were written for speed (no substrings, no formatted reason without
 * {@code --explain}, one walk for the placeholder markers, ASCII tests inline): they must decide, and word
 * their reasons, exactly as they did before ({@link ValueChecksBefore}), on values built from the pieces
 * that steer each branch (words, camelCase, hex, numbers, separators, markers, non-ASCII letters).
 */
class ValueChecksFastPathTest {
    private static final String[] VALUE_PIECES = {
        "cache", "Cache", "secretsmanager", "idempotency", "euwkekqnxfntjbhozqe", "ServiceAccountKeyRotation",
        "HTTP", "Http", "xmlHTTPRequest", "wOrD", "WOrd", "ab", "a", "Z", "strengths", "rhythms",
        "2204875a296b", "7F3A9B2C41D0", "7f3A", "deadbeef", "0123456789abcdef", "12", "2024", "1234567",
        "east1", "v2", "node17", "us", "aB3xK9pQ", "Zq8R", "kJ2", "ey", "th", "qu", "yy", "AEIOU",
        ":", "-", "_", ".", "/", "@", "::", "$", "*", "!", "#", "%", "+", "=", " ", "~",
        "xxxx", "****", "....", "${", "{{", "}}", "<", ">", "$(", "%s", "%S", "EXAMPLE", "Redacted",
        "your_", "yourToken", "changeme", "change-me", "not_real", "fixme", "lorem", "Sample",
        "aaaaaa", "abcdef", "ABCDEF", "123456", "------", "______",
        "é", "É", "ß", "ﬀ", "İ", "\u212A", "\u00AA", "ǅ", "𝒜", "\uD835", "٣", "日本",
        "AKIAIOSFODNN7EXAMPLE", "os", "environ", "get", "a1", "$x", "_y",
    };
    private static final String[] KEY_PIECES = {
        "api", "key", "_", ".", "-", "secret", "token", "credential", "pass", "pwd", "client", "db", "DB",
        "Password", "cache", "hash", "id", "Id", "name", "url", "expires", "count", "public", "page", "sha256",
        "access", "private", "signing", "x", "continuation", "fingerprint", "aws", "Key", "KEY", "Secret",
    };
    private static final String[] OPERATORS = {"=", ": ", "\": \"", "='", " => ", ":=", "="};

    @Test
    void identifier_shape_is_as_before() {
        Random random = new Random(24);
        int identifiers = 0;
        for (int round = 0; round < 200_000; round++) {
            String value = value(random);
            int maxBits = random.nextBoolean() ? Integer.MAX_VALUE : GenericAssignment.IDENTIFIER_BITS_UNDER_SECRET_KEYS;
            String expected = IdentifierShapeBefore.reason(value, maxBits);
            assertThat(IdentifierShape.reason(value, maxBits)).as(value).isEqualTo(expected);
            assertThat(IdentifierShape.isIdentifier(value, maxBits)).as(value).isEqualTo(expected != null);
            assertThat(IdentifierShape.isWord(value)).as(value).isEqualTo(IdentifierShapeBefore.isWord(value));
            identifiers += expected == null ? 0 : 1;
        }
        assertThat(identifiers).as("the pieces reach both answers").isBetween(10_000, 190_000);
    }

    @Test
    void placeholders_are_as_before() {
        Random random = new Random(25);
        int placeholders = 0;
        for (int round = 0; round < 200_000; round++) {
            String value = value(random);
            String expected = PlaceholdersBefore.reason(value);
            assertThat(Placeholders.reason(value)).as(value).isEqualTo(expected);
            placeholders += expected == null ? 0 : 1;
        }
        assertThat(placeholders).as("the pieces reach both answers").isBetween(10_000, 190_000);
    }

    @Test
    void generic_assignment_is_as_before() {
        Random random = new Random(26);
        GenericAssignment now = new GenericAssignment();
        GenericAssignmentBefore before = new GenericAssignmentBefore();
        int accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            String value = value(random);
            StringBuilder key = new StringBuilder();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                key.append(KEY_PIECES[random.nextInt(KEY_PIECES.length)]);
            }
            // the key may start before the match (its first characters are then the text before it)
            int cut = random.nextInt(key.length() + 1);
            String lead = random.nextInt(4) == 0 ? "export " : "";
            String match = key.substring(cut) + OPERATORS[random.nextInt(OPERATORS.length)] + value;
            Candidate c = Candidate.of(value, match, "app.log", () -> lead + key + match, () -> lead + key.substring(0, cut), null);
            Candidate same = Candidate.of(value, match, "app.log", () -> lead + key + match, () -> lead + key.substring(0, cut), null);
            String expected = before.refusal(c);
            assertThat(now.refusal(same)).as(match).isEqualTo(expected);
            assertThat(now.accepts(Candidate.of(value, match, "app.log", null, () -> lead + key.substring(0, cut), null)))
                    .as(match).isEqualTo(expected == null);
            accepted += expected == null ? 0 : 1;
        }
        assertThat(accepted).as("the pieces reach both answers").isBetween(10_000, 190_000);
    }

    @Test
    void code_reference_is_its_regex() {
        Random random = new Random(27);
        String[] pieces = {"os", "environ", ".", ".", "..", "get", "a1", "1a", "$x", "_y", "", "-", "é", " ", "Z", "9"};
        int references = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(6); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String v = sb.toString();
            boolean expected = GenericAssignment.CODE_REFERENCE.matcher(v).matches();
            assertThat(GenericAssignment.isCodeReference(v)).as(v).isEqualTo(expected);
            references += expected ? 1 : 0;
        }
        assertThat(references).isBetween(500, 90_000);
    }

    @Test
    void known_prefix_is_its_definition() {
        Random random = new Random(28);
        String[] pieces = {"mfy_", "mfy_rt_", "ghp_", "gh", "github_pat_", "xoxb-", "sk-", "sk-ant-", "sk_live_",
            "AKIA", "A3T", "AIza", "eyJ", "https://hooks.slack.com/", "-----BEGIN", "-----BEGIN RSA PRIVATE KEY-----",
            " ", "", "x", "\u00e9", "cache", "0", "_"};
        int known = 0;
        for (int round = 0; round < 100_000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(4); k > 0; k--) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String v = sb.toString();
            boolean expected = !SecretPrefixes.visiblePrefix(v).isEmpty() || v.startsWith("mfy_") || v.startsWith("-----BEGIN");
            assertThat(SecretPrefixes.hasKnownPrefix(v)).as(v).isEqualTo(expected);
            known += expected ? 1 : 0;
        }
        assertThat(known).isBetween(10_000, 90_000);
    }

    @Test
    void ascii_tests_are_characters_own_for_every_char() {
        for (int i = Character.MIN_VALUE; i <= Character.MAX_VALUE; i++) {
            char c = (char) i;
            assertThat(Ascii.isLetter(c)).as("%04x", i).isEqualTo(Character.isLetter(c));
            assertThat(Ascii.isLetterOrDigit(c)).as("%04x", i).isEqualTo(Character.isLetterOrDigit(c));
            assertThat(Ascii.isUpperCase(c)).as("%04x", i).isEqualTo(Character.isUpperCase(c));
            assertThat(Ascii.isLowerCase(c)).as("%04x", i).isEqualTo(Character.isLowerCase(c));
        }
    }

    private static String value(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int k = 1 + random.nextInt(6); k > 0; k--) {
            sb.append(VALUE_PIECES[random.nextInt(VALUE_PIECES.length)]);
        }
        return sb.toString();
    }
}

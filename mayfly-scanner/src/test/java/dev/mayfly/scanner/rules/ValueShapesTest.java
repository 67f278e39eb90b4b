package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The value filters of issue 24: identifiers, chosen passwords, filler; and that random secrets pass them. */
class ValueShapesTest {
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz";

    @ParameterizedTest
    @ValueSource(strings = {"cache:2204875a296b", "req_7f3a9b2c41d0", "sess-2204875a296b-01", "user:8812345:profile",
        "projects/acme-prod/locations/us-east1/keyRings/ring1", "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db",
        "deploy-bot@example.com", "ServiceAccountKeyRotation2024", "orders-service-v2", "idem-0f3c2a9b7d1e5f60",
        "secretsmanager:prod:idempotency"})
    void identifiersAreTold(String value) {
        assertThat(IdentifierShape.reason(value, Integer.MAX_VALUE)).startsWith("an identifier");
    }

    @Test
    void underASecretNameAnIdentifierCarriesAtMost96BitsOfRandomMaterial() {
        assertThat(IdentifierShape.reason("live:" + "0123456789abcdef".repeat(2), 96)).isNull();
        assertThat(IdentifierShape.reason("live:0123456789abcdef", 96)).isNotNull();
    }

    @Test
    void randomSecretsAreNeverIdentifiers() {
        // seed 24 found "euwkekqnxfntjbhozqe35" (random letters, then digits) taken for a word with a number
        Random r = new Random(24);
        for (int i = 0; i < 200_000; i++) {
            String alphabet = i % 2 == 0 ? BASE62 : BASE36;
            String body = random(r, alphabet, 16 + r.nextInt(30));
            String value = i % 3 == 0 ? body : i % 3 == 1 ? "prod-" + body : "sk_" + body;
            assertThat(IdentifierShape.reason(value, Integer.MAX_VALUE)).as(value).isNull();
        }
    }

    /**
     * Random letters without digits can spell something word-like by chance (about 5 in 100,000 measured,
     * {@code LooQaywihkBozOMRVF}); a bound, not zero, and such secrets also need mixed case and high entropy
     * to be reported at all.
     */
    @Test
    void randomLettersAreRarelyIdentifiers() {
        Random r = new Random(25);
        String letters = BASE62.substring(10);
        int taken = 0;
        for (int i = 0; i < 100_000; i++) {
            String value = (i % 2 == 0 ? "" : "prod-") + random(r, letters, 16 + r.nextInt(30));
            taken += IdentifierShape.reason(value, Integer.MAX_VALUE) == null ? 0 : 1;
        }
        assertThat(taken).isLessThan(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xoxb-1234567890123-2345678901234-aZ3kP9qL2mX7vB4nR8tW1yC6", "AKIA4Q7ZK2M3N5P6R7S2",
        "T9x!mq4Tw-123456"})
    void digitsOnlyPartsAreNotFiller(String value) {
        assertThat(Placeholders.reason(value)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx", "AKIA0000000000000000", "Summer123456",
        "token-------", "%s", "sk_live_xxxxxxxxxxxxxxxx"})
    void fillerAndMarkersStillArePlaceholders(String value) {
        assertThat(Placeholders.reason(value)).isNotNull();
    }

    @Test
    void printfsHoleIsLowerCaseOnly() {
        assertThat(Placeholders.reason("y6y@osk%STWOGC&2D")).isNull();
        assertThat(Placeholders.reason("prefix-%s-suffix")).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "password123", "changeme", "letters", "$DB_PASSWORD", "%PASS%", "12345"})
    void standInsAreNotChosenPasswords(String value) {
        assertThat(PasswordShape.refusal(value, 6)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x7K$q*2@Lm9", "Orchidcopper!4821aB3", "ZgJou$3mk#6dJ?T", "8812734650192837"})
    void chosenPasswordsPass(String value) {
        assertThat(PasswordShape.refusal(value, 6)).isNull();
    }

    private static String random(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}

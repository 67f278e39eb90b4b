package dev.mayfly.scanner;

import static dev.mayfly.scanner.Fixtures.fingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 24's misses: passwords in URIs of any scheme (odd characters, inside escaped JSON tool-call
 * arguments), HTTP Basic and other Authorization credentials, secrets told in words in a transcript, and a
 * real Slack token whose ids hold a sequential run. Each with the decoys that must stay quiet.
 */
class CredentialShapesTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final String PW = "x7K$q*2@Lm9";
    private static final String BEARER = Fixtures.random(Fixtures.BASE62, 40, 101);
    private static final String HEX32 = Fixtures.hex("MD5", "an api key");

    private static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    static Stream<Arguments> found() {
        String slack = "xoxb-1234567890123-2345678901234-" + Fixtures.random(Fixtures.BASE62, 24, 102);
        String basicAuth = basic("deploy:Hx9!vR2$kq7W");
        String apiKeyUser = basic(Fixtures.random(Fixtures.BASE62, 32, 103) + ":");
        return Stream.of(
                Arguments.of(BuiltinRules.URI_PASSWORD, "DATABASE_URL=postgres://app:" + PW + "@db.internal:5432/app", PW),
                Arguments.of(BuiltinRules.URI_PASSWORD, "{\"name\":\"run_sql\",\"arguments\":\"{\\\"dsn\\\": "
                        + "\\\"mysql://root:" + PW + "@10.0.0.7/shop\\\"}\"}", PW),
                Arguments.of(BuiltinRules.URI_PASSWORD, "connecting to amqp://:Tq8$zW3*pL@mq.local", "Tq8$zW3*pL"),
                Arguments.of(BuiltinRules.URI_PASSWORD, "DATABASE_URL=postgres://app:ZgJou$3mk#6dJ?T@db:5432/orders", "ZgJou$3mk#6dJ?T"),
                Arguments.of(BuiltinRules.HTTP_AUTHORIZATION, "Authorization: Basic " + basicAuth, basicAuth),
                Arguments.of(BuiltinRules.HTTP_AUTHORIZATION, "{\"headers\": {\"Proxy-Authorization\": \"Basic "
                        + basicAuth + "\"}}", basicAuth),
                Arguments.of(BuiltinRules.HTTP_AUTHORIZATION, "-H 'authorization: basic " + apiKeyUser + "'", apiKeyUser),
                Arguments.of(BuiltinRules.HTTP_AUTHORIZATION, "Authorization: Bearer " + BEARER, BEARER),
                Arguments.of(BuiltinRules.DISCLOSED_SECRET, "user: ok, the db password is Zr8!mq4Tw, use it", "Zr8!mq4Tw"),
                Arguments.of(BuiltinRules.DISCLOSED_SECRET, "{\"role\":\"user\",\"content\":\"My password for the "
                        + "staging box was changed to Lp0-wQ7x#e.\"}", "Lp0-wQ7x#e"),
                Arguments.of(BuiltinRules.DISCLOSED_SECRET, "the API key is " + BEARER + ".", BEARER),
                // found by the bench corpus: a query's next parameter is not part of the value
                Arguments.of(BuiltinRules.DISCLOSED_SECRET, "GET /cb?next=the%20password%20is%20ember%4028442Fr.&lang=en 302",
                        "ember@28442Fr"),
                // found by the bench corpus: "%S" in a generated password is not printf's "%s"
                Arguments.of(BuiltinRules.HTTP_AUTHORIZATION, "{\"Proxy-Authorization\": \"Basic " + basic("svc:y6y@osk%STWOGC&2D")
                        + "\"}", basic("svc:y6y@osk%STWOGC&2D")),
                Arguments.of(BuiltinRules.SLACK_TOKEN, "SLACK_BOT_TOKEN=" + slack, slack),
                Arguments.of(BuiltinRules.GENERIC, "X-Api-Key: " + BEARER, BEARER),
                Arguments.of(BuiltinRules.GENERIC, "api_key=live:" + HEX32, "live:" + HEX32),
                Arguments.of(BuiltinRules.GENERIC, "secret: prod-" + BEARER.substring(0, 20), "prod-" + BEARER.substring(0, 20)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("found")
    void finds_the_secret_once(String ruleId, String text, String secret) {
        ScanResult result = SCANNER.scan(text, "input.txt");

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo(ruleId);
            assertThat(f.fingerprint()).isEqualTo(fingerprint(secret));
            assertThat(f.toMap().toString()).doesNotContain(secret);
        });
    }

    @org.junit.jupiter.api.Test
    void a_percent_encoded_password_is_found_as_written_and_as_decoded() {
        ScanResult result = SCANNER.scan("redis://default:a%40b9Kx7%24z@cache:6379", "input.txt");

        assertThat(result.findings()).extracting(Finding::fingerprint)
                .containsExactlyInAnyOrder(fingerprint("a%40b9Kx7%24z"), fingerprint("a@b9Kx7$z"));
        assertThat(result.findings()).allSatisfy(f -> assertThat(f.ruleId()).isEqualTo(BuiltinRules.URI_PASSWORD));
    }

    static Stream<Arguments> quiet() {
        return Stream.of(
                Arguments.of("uri stand-in", "postgres://postgres:postgres@localhost:5432/db"),
                Arguments.of("uri template", "DATABASE_URL=postgres://app:${DB_PASSWORD}@db/app"),
                Arguments.of("uri placeholder", "mysql://user:<password>@host/db"),
                Arguments.of("uri port, no password", "see http://example.com:8080/path and ssh://git@host:22/x"),
                Arguments.of("uri masked", "redis://default:********@cache:6379"),
                Arguments.of("basic of a word pair", "Authorization: Basic " + basic("user:password")),
                Arguments.of("basic without colon", "Authorization: Basic " + basic("just-a-value-here")),
                Arguments.of("bearer placeholder", "Authorization: Bearer <your-token-here>"),
                Arguments.of("bearer variable", "Authorization: Bearer $TOKEN"),
                Arguments.of("bearer identifier", "Authorization: Bearer session:2204875a296b"),
                Arguments.of("prose", "The password is stored in the vault; rotate the token weekly."),
                Arguments.of("prose number", "the token is 4096 tokens long"),
                Arguments.of("prose identifier", "the token is req_7f3a9b2c41d0 in the trace"),
                Arguments.of("prose stand-in", "the default password is password123 on first boot"),
                Arguments.of("cache key", "lookup key=cache:2204875a296b"),
                Arguments.of("request id under a token name", "token: req_7f3a9b2c41d0"),
                Arguments.of("session key", "session_key=sess-2204875a296b-01"),
                Arguments.of("resource name", "crypto_key: projects/acme-prod/locations/us-east1/keyRings/ring1"),
                Arguments.of("arn", "key: arn:aws:kms:us-east-1:123456789012:key/deploy"),
                Arguments.of("email under a key", "key=deploy-bot@example.com"),
                Arguments.of("camel case name", "apiKey: ServiceAccountKeyRotation2024"),
                Arguments.of("slack placeholder digits and letters", "xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quiet")
    void stays_quiet(String name, String text) {
        assertThat(SCANNER.scan(text, "decoy.txt").findings()).isEmpty();
    }
}

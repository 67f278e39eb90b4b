package dev.mayfly.scanner;

import static dev.mayfly.scanner.Fixtures.fingerprint;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import dev.mayfly.scanner.rules.BuiltinRules;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every built-in rule: true positives (found once, right fingerprint) and decoys (nothing found). */
class BuiltinRulesTest {
    private static final SecretScanner SCANNER = SecretScanner.create();

    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 1);
    private static final String CS = Fixtures.mayfly(SecretKind.CLIENT_SECRET, 2);
    private static final String WH = Fixtures.mayfly(SecretKind.WEBHOOK_SECRET, 3);
    private static final String MAYFLY_JWT = Fixtures.mayflyJwt("https://mayfly.example", 4);
    private static final String HMAC_JWT = Fixtures.jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
            "{\"sub\":\"user-17\",\"role\":\"admin\",\"iat\":1794999700}", 32, 5);
    private static final String AKIA = "AKIA" + Fixtures.random(Fixtures.BASE32_AWS, 16, 6);
    private static final String AWS_SECRET = Fixtures.random(Fixtures.BASE62 + "+/", 40, 7);
    private static final String GHP = Fixtures.github("ghp_", 8);
    private static final String GHO = Fixtures.github("gho_", 9);
    private static final String GHU = Fixtures.github("ghu_", 10);
    private static final String GHS = Fixtures.github("ghs_", 11);
    private static final String GHR = Fixtures.github("ghr_", 12);
    private static final String FINE = "github_pat_" + Fixtures.random(Fixtures.BASE62, 22, 13) + "_"
            + Fixtures.random(Fixtures.BASE62, 59, 14);
    private static final String GLPAT = "glpat-" + Fixtures.random(Fixtures.BASE62, 20, 15);
    private static final String SLACK = "xoxb-283746519203-1928374650192-" + Fixtures.random(Fixtures.BASE62, 24, 16);
    private static final String SLACK_HOOK = "https://hooks.slack.com/services/T0A1B2C3D/B9Z8Y7X6W/"
            + Fixtures.random(Fixtures.BASE62, 24, 17);
    private static final String STRIPE = "sk_live_" + Fixtures.random(Fixtures.BASE62, 24, 18);
    private static final String STRIPE_RK = "rk_live_" + Fixtures.random(Fixtures.BASE62, 24, 19);
    private static final String OPENAI_PROJ = "sk-proj-" + Fixtures.random(Fixtures.BASE64URL, 74, 20) + "T3BlbkFJ"
            + Fixtures.random(Fixtures.BASE64URL, 74, 21);
    private static final String OPENAI_LEGACY = "sk-" + Fixtures.random(Fixtures.BASE62, 20, 22) + "T3BlbkFJ"
            + Fixtures.random(Fixtures.BASE62, 20, 23);
    private static final String ANTHROPIC = "sk-ant-api03-" + Fixtures.random(Fixtures.BASE64URL, 93, 24) + "AA";
    private static final String GOOGLE = "AIza" + Fixtures.random(Fixtures.BASE64URL, 35, 25);
    private static final String PKCS8 = Fixtures.pem("PRIVATE KEY", Fixtures.derSequence(1214, 26));
    private static final String PKCS1 = Fixtures.pem("RSA PRIVATE KEY", Fixtures.derSequence(1187, 27));
    private static final String SEC1 = Fixtures.pem("EC PRIVATE KEY", Fixtures.derSequence(0x77, 28));
    private static final String OPENSSH = Fixtures.pem("OPENSSH PRIVATE KEY", Fixtures.opensshKey(29));
    private static final String PASSWORD = "Tr0ub4dor&3x";
    private static final String CLIENT_SECRET = "aB3dE5fG7hJ9kL1mN2pQ";
    private static final String API_KEY_HEX = Fixtures.hex("MD5", "api key 30");

    static Stream<Arguments> positives() {
        return Stream.of(
                Arguments.of(BuiltinRules.MAYFLY_REFRESH_TOKEN, "refresh_token=" + RT + "\n", RT),
                Arguments.of(BuiltinRules.MAYFLY_CLIENT_SECRET, "MAYFLY_CLIENT_SECRET=" + CS, CS),
                Arguments.of(BuiltinRules.MAYFLY_WEBHOOK_SECRET, "{\"secret\": \"" + WH + "\"}", WH),
                Arguments.of(BuiltinRules.MAYFLY_REFRESH_TOKEN, "glued:abc" + RT + "Thanks", RT),
                Arguments.of(BuiltinRules.MAYFLY_ACCESS_TOKEN, "Authorization: Bearer " + MAYFLY_JWT, MAYFLY_JWT),
                Arguments.of(BuiltinRules.JWT, "cookie: session=" + HMAC_JWT + "; Path=/", HMAC_JWT),
                Arguments.of(BuiltinRules.AWS_ACCESS_KEY_ID, "aws_access_key_id = " + AKIA, AKIA),
                Arguments.of(BuiltinRules.AWS_SECRET_ACCESS_KEY, "aws_secret_access_key = " + AWS_SECRET, AWS_SECRET),
                Arguments.of(BuiltinRules.AWS_SECRET_ACCESS_KEY, "{\"SecretAccessKey\": \"" + AWS_SECRET + "\"}",
                        AWS_SECRET),
                Arguments.of(BuiltinRules.GITHUB_PAT, "GITHUB_TOKEN=" + GHP, GHP),
                Arguments.of(BuiltinRules.GITHUB_OAUTH, "token " + GHO, GHO),
                Arguments.of(BuiltinRules.GITHUB_APP_TOKEN, "x-access-token:" + GHU + "@github.com", GHU),
                Arguments.of(BuiltinRules.GITHUB_APP_TOKEN, "\"" + GHS + "\"", GHS),
                Arguments.of(BuiltinRules.GITHUB_REFRESH_TOKEN, "refresh " + GHR, GHR),
                Arguments.of(BuiltinRules.GITHUB_FINE_GRAINED_PAT, "GH_TOKEN=" + FINE, FINE),
                Arguments.of(BuiltinRules.GITLAB_PAT, "PRIVATE-TOKEN: " + GLPAT, GLPAT),
                Arguments.of(BuiltinRules.SLACK_TOKEN, "SLACK_BOT_TOKEN=" + SLACK, SLACK),
                Arguments.of(BuiltinRules.SLACK_WEBHOOK, "curl -X POST " + SLACK_HOOK, SLACK_HOOK),
                Arguments.of(BuiltinRules.STRIPE_KEY, "stripe.api_key = '" + STRIPE + "'", STRIPE),
                Arguments.of(BuiltinRules.STRIPE_KEY, "STRIPE_RESTRICTED=" + STRIPE_RK, STRIPE_RK),
                Arguments.of(BuiltinRules.OPENAI_KEY, "OPENAI_API_KEY=" + OPENAI_PROJ, OPENAI_PROJ),
                Arguments.of(BuiltinRules.OPENAI_KEY, "openai.api_key = \"" + OPENAI_LEGACY + "\"", OPENAI_LEGACY),
                Arguments.of(BuiltinRules.ANTHROPIC_KEY, "x-api-key: " + ANTHROPIC, ANTHROPIC),
                Arguments.of(BuiltinRules.GOOGLE_API_KEY, "https://maps.googleapis.com/?key=" + GOOGLE, GOOGLE),
                Arguments.of(BuiltinRules.PRIVATE_KEY, "key:\n" + PKCS8 + "\n", PKCS8),
                Arguments.of(BuiltinRules.PRIVATE_KEY, PKCS1, PKCS1),
                Arguments.of(BuiltinRules.PRIVATE_KEY, SEC1, SEC1),
                Arguments.of(BuiltinRules.PRIVATE_KEY, OPENSSH, OPENSSH),
                Arguments.of(BuiltinRules.GENERIC, "password = \"" + PASSWORD + "\"", PASSWORD),
                Arguments.of(BuiltinRules.GENERIC, "client_secret: " + CLIENT_SECRET, CLIENT_SECRET),
                Arguments.of(BuiltinRules.GENERIC, "{\"api_key\": \"" + API_KEY_HEX + "\"}", API_KEY_HEX),
                Arguments.of(BuiltinRules.GENERIC, "DB_PASSWORD=" + PASSWORD + "\nNEXT=1", PASSWORD));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("positives")
    void finds_the_secret_once(String ruleId, String text, String secret) {
        ScanResult result = SCANNER.scan(text, "input.txt");

        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo(ruleId);
            assertThat(f.fingerprint()).isEqualTo(fingerprint(secret));
            assertThat(f.offset()).isEqualTo(text.indexOf(secret));
            assertThat(f.toString()).doesNotContain(secret);
            assertThat(f.toMap().toString()).doesNotContain(secret);
        });
    }

    static Stream<Arguments> decoys() {
        String sha1 = Fixtures.hex("SHA-1", "some cached thing");
        String sha256 = Fixtures.hex("SHA-256", "some other thing");
        return Stream.of(
                Arguments.of("mfy bad checksum", "refresh_token=" + Fixtures.mayflyBadChecksum(SecretKind.REFRESH_TOKEN, 1)),
                Arguments.of("mfy bad checksum in a secret assignment",
                        "MAYFLY_CLIENT_SECRET=" + Fixtures.mayflyBadChecksum(SecretKind.CLIENT_SECRET, 2)),
                Arguments.of("mfy unknown kind", "mfy_xx_" + RT.substring(7)),
                Arguments.of("mfy too short", RT.substring(0, 40)),
                Arguments.of("github bad checksum", "GITHUB_TOKEN=" + Fixtures.githubBadChecksum("ghp_", 8)),
                Arguments.of("github placeholder", "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("github docs example", "gho_16C7e42F292c6912E7710c838347Ae178B4a"),
                Arguments.of("AWS example key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"),
                Arguments.of("AWS example secret", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                Arguments.of("fine-grained placeholder", "github_pat_" + "x".repeat(22) + "_" + "x".repeat(59)),
                Arguments.of("gitlab placeholder", "glpat-xxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("slack placeholder", "xoxb-XXXXXXXXXXXX-XXXXXXXXXXXXX-XXXXXXXXXXXXXXXXXXXXXXXX"),
                Arguments.of("slack docs webhook",
                        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"),
                Arguments.of("stripe test key (not a live key)", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"),
                Arguments.of("stripe placeholder", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
                Arguments.of("openai placeholder", "sk-proj-" + "x".repeat(60)),
                Arguments.of("anthropic placeholder", "sk-ant-api03-your-api-key-goes-here-your-api-key-goes-here-aaaa"),
                Arguments.of("google docs example", "key=AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe"),
                Arguments.of("pem placeholder body",
                        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n...\n-----END RSA PRIVATE KEY-----"),
                Arguments.of("pem wrong DER length", "-----BEGIN PRIVATE KEY-----\n"
                        + Fixtures.pem("X", Fixtures.derSequence(300, 40)).split("\n", 2)[1]
                                .replace("-----END X-----", "").substring(8)
                        + "\n-----END PRIVATE KEY-----"),
                Arguments.of("pem redacted", "-----BEGIN PRIVATE KEY-----\n<redacted>\n-----END PRIVATE KEY-----"),
                Arguments.of("public key", Fixtures.pem("PUBLIC KEY", Fixtures.derSequence(290, 41))),
                Arguments.of("jwt.io example", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6"
                        + "IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"),
                Arguments.of("jwt-shaped garbage", "eyJhbGciOiJub3RqcW9u.eyJzdWIiOiJ4Ig.c2lnbmF0dXJlc2lnbmF0dXJl"),
                Arguments.of("unsigned jwt", Fixtures.b64url("{\"alg\":\"none\"}") + "." + Fixtures.b64url("{\"sub\":\"x\"}")
                        + "." + "AAAAAAAAAAAAAAAAAAAAAA"),
                Arguments.of("cache key sha1", "cache_key=" + sha1),
                Arguments.of("cache key sha1 in JSON", "{\"cacheKey\": \"" + sha1 + "\"}"),
                Arguments.of("token hash", "token_hash: " + sha256),
                Arguments.of("commit sha", "commit " + sha1),
                Arguments.of("template", "password: ${DB_PASSWORD}"),
                Arguments.of("template braces", "api_key = \"{{ secrets.API_KEY }}\""),
                Arguments.of("redacted marker", "password=<redacted>"),
                Arguments.of("masked", "token: xxxxxxxxxxxxxxxx"),
                Arguments.of("stars", "secret = \"****************\""),
                Arguments.of("metadata key", "secret_name: prod-db-credentials-2"),
                Arguments.of("code reference", "password = os.environ.get"),
                Arguments.of("counts", "max_tokens: 4096, tokens_used: 123456789"),
                Arguments.of("url", "token_endpoint: https://auth.example.com/oauth/token"),
                Arguments.of("uuid under a bare key", "key: 123e4567-e89b-12d3-a456-426614174000"),
                Arguments.of("words", "password: correcthorse"),
                Arguments.of("prose", "The password is stored in the vault; rotate the token weekly."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoys")
    void ignores_decoys(String name, String text) {
        assertThat(SCANNER.scan(text, "decoy.txt").findings()).isEmpty();
    }

    @Test
    void mayfly_credentials_are_flagged_and_available_for_revocation() {
        ScanResult result = SCANNER.scan(RT + " " + CS + " " + WH + " " + MAYFLY_JWT + " " + GHP, "x");

        assertThat(result.findings()).hasSize(5);
        assertThat(result.mayflyFindings()).extracting(Finding::kind).containsExactly(
                "mayfly_refresh_token", "mayfly_client_secret", "mayfly_webhook_secret", "mayfly_access_token");
        assertThat(result.mayflySecrets()).extracting(s -> s.reveal()).containsExactly(RT, CS, WH, MAYFLY_JWT);
        assertThat(result.findings().get(4).mayflySecret()).isEmpty();
    }

    @Test
    void configured_issuer_decides_which_access_tokens_are_mayflys() {
        String other = Fixtures.mayflyJwt("https://other.example", 50);
        SecretScanner scanner = SecretScanner.builder().mayflyIssuer("https://mayfly.example/").build();

        ScanResult result = scanner.scan(MAYFLY_JWT + "\n" + other, "x");

        assertThat(result.findings()).extracting(Finding::ruleId, Finding::isMayfly).containsExactly(
                org.assertj.core.groups.Tuple.tuple(BuiltinRules.MAYFLY_ACCESS_TOKEN, true),
                org.assertj.core.groups.Tuple.tuple(BuiltinRules.JWT, false));
    }

    @Test
    void hex_values_count_only_under_secret_names() {
        String sha1 = Fixtures.hex("SHA-1", "x");
        ScanResult result = SCANNER.scan("cache_key=" + sha1 + "\netag_key: " + sha1 + "\nclient_secret=" + sha1
                + "\naws_secret_key = " + sha1, "x");

        // GitHub OAuth client secrets, Rails secret_key_base and many API keys are hex: keep those.
        assertThat(result.findings()).extracting(Finding::ruleId, Finding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple(BuiltinRules.GENERIC, 3),
                org.assertj.core.groups.Tuple.tuple(BuiltinRules.GENERIC, 4));
    }

    @Test
    void specific_rule_wins_over_the_generic_one() {
        ScanResult result = SCANNER.scan("api_token = " + GHP + "\nsecret: " + STRIPE, "x");

        assertThat(result.findings()).extracting(Finding::ruleId)
                .containsExactly(BuiltinRules.GITHUB_PAT, BuiltinRules.STRIPE_KEY);
    }

    @Test
    void redacted_value_keeps_only_the_known_prefix() {
        ScanResult result = SCANNER.scan(RT + " " + GHP + " password=" + PASSWORD + " " + PKCS1, "x");

        assertThat(result.findings()).extracting(Finding::redacted).containsExactly(
                "mfy_rt_********", "ghp_********", "********", "-----BEGIN RSA PRIVATE KEY-----********");
    }
}

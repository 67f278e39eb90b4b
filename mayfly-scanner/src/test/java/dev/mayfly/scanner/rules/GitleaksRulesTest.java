package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.Finding;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.SecretScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** gitleaks TOML rule files: every supported key, extension, and clear errors for the rest. */
class GitleaksRulesTest {
    private static final String CONFIG = """
            title = "team rules"

            [[rules]]
            id = "acme-api-key"
            description = "ACME API key"
            regex = '''(?i)(?P<prefix>acme)[_-]?key\\s*[:=]\\s*["']?(?P<key>[[:alnum:]]{24})\\b'''
            secretGroup = 2
            entropy = 3.0
            keywords = ["acme"]
            tags = ["acme", "api"]

              [[rules.allowlists]]
              description = "test fixtures"
              regexTarget = "line"
              regexes = ['''#\\s*fixture''']

              [[rules.allowlists]]
              stopwords = ["deadbeef"]

            [[rules]]
            id = "internal-token"
            regex = '''itk_[0-9a-f]{32}\\z'''
            path = '''\\.env$'''

            [[rules]]
            id = "keystore-file"
            path = '''\\.jks$'''

            [[rules]]
            id = "generic-password"
            regex = '''password\\s*=\\s*(\\S+)'''
            entropy = 2.0

            [allowlist]
            description = "global"
            paths = ['''(^|/)vendor/''']

            [[allowlists]]
            targetRules = ["generic-password"]
            condition = "AND"
            regexTarget = "match"
            regexes = ['''password\\s*=\\s*test''']
            paths = ['''_test\\.''']
            """;

    private final RuleSet rules = GitleaksRules.parse(CONFIG);
    private final SecretScanner scanner = SecretScanner.builder().rules(rules).build();

    private static final String KEY = "Zq3Xw9Rt5Yu7Io1Pa2Sd4Fg6";

    @Test
    void reads_every_rule_field() {
        Rule acme = rules.rule("acme-api-key").orElseThrow();

        assertThat(rules.rules()).extracting(Rule::id)
                .containsExactly("acme-api-key", "internal-token", "keystore-file", "generic-password");
        assertThat(acme.description()).isEqualTo("ACME API key");
        assertThat(acme.secretGroup()).isEqualTo(2);
        assertThat(acme.entropy()).isEqualTo(3.0);
        assertThat(acme.keywords()).containsExactly("acme");
        assertThat(acme.tags()).containsExactly("acme", "api");
        assertThat(acme.allowlists()).hasSize(2);
        // every match starts with acme_key / acme-key / acmekey: tighter than the keyword
        assertThat(acme.anchoredAtStart()).isTrue();
        assertThat(acme.anchors()).containsExactlyInAnyOrder("acme_key", "acme-key", "acmekey");
        assertThat(rules.rule("generic-password").orElseThrow().anchors()).containsExactly("password");
        assertThat(rules.rule("keystore-file").orElseThrow().pathOnly()).isTrue();
        assertThat(rules.allowlists()).hasSize(2);
    }

    @Test
    void secret_group_named_groups_and_posix_classes() {
        ScanResult r = scanner.scan("ACME_KEY = \"" + KEY + "\"\n", "app.conf");

        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("acme-api-key");
            assertThat(f.fingerprint()).isEqualTo(dev.mayfly.scanner.Fixtures.fingerprint(KEY));
            assertThat(f.column()).isEqualTo(13);
            assertThat(f.tags()).containsExactly("acme", "api");
        });
    }

    @Test
    void entropy_floor() {
        assertThat(scanner.scan("acme-key: aaaaaaaaaaaabbbbbbbbbbbb", "x").findings()).isEmpty();
    }

    @Test
    void rule_allowlists_on_line_and_stopwords() {
        assertThat(scanner.scan("acme_key=" + KEY + "  # fixture", "x").findings()).isEmpty();
        assertThat(scanner.scan("acme_key=Zq3Xw9Rt5DEADBEEFa2Sd4Fg6", "x").findings()).isEmpty();
    }

    @Test
    void rule_path_limits_where_a_rule_applies() {
        String line = "ITK=itk_0123456789abcdef0123456789abcdef";

        assertThat(scanner.scan(line, "deploy/.env").findings()).extracting(Finding::ruleId)
                .containsExactly("internal-token");
        assertThat(scanner.scan(line, "README.md").findings()).isEmpty();
    }

    @Test
    void path_only_rules_report_the_file() {
        assertThat(scanner.scan("binary", "certs/app.jks").findings()).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("keystore-file");
            assertThat(f.line()).isEqualTo(1);
            assertThat(f.isMayfly()).isFalse();
        });
    }

    @Test
    void global_allowlists_with_paths_targets_and_and_condition() {
        assertThat(scanner.scan("acme_key=" + KEY, "vendor/lib/conf").findings()).isEmpty();
        // AND: both the match regex and the path must match
        assertThat(scanner.scan("password = test123", "login_test.py").findings()).isEmpty();
        assertThat(scanner.scan("password = test123", "login.py").findings()).hasSize(1);
        assertThat(scanner.scan("password = hunter2", "login_test.py").findings()).hasSize(1);
    }

    @Test
    void gitleaks_generic_rules_with_entropy_need_a_digit() {
        assertThat(scanner.scan("password = abcdefgh", "x").findings()).isEmpty();
        assertThat(scanner.scan("password = abcd3fgh", "x").findings()).hasSize(1);
    }

    @Test
    void extend_a_base_file_override_and_disable(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.toml"), """
                [[rules]]
                id = "base-a"
                regex = '''basea_[0-9]{6}'''
                [[rules]]
                id = "base-b"
                regex = '''baseb_[0-9]{6}'''
                [[rules]]
                id = "base-c"
                description = "old"
                regex = '''basec_[0-9]{6}'''
                tags = ["base"]
                """);
        Path top = dir.resolve("gitleaks.toml");
        Files.writeString(top, """
                [extend]
                path = "base.toml"
                disabledRules = ["base-b"]

                [[rules]]
                id = "base-c"
                description = "new"
                tags = ["team"]

                [[rules]]
                id = "own"
                regex = '''own_[0-9]{6}'''
                """);

        RuleSet set = GitleaksRules.load(top);

        assertThat(set.rules()).extracting(Rule::id).containsExactly("base-c", "own", "base-a");
        Rule c = set.rule("base-c").orElseThrow();
        assertThat(c.description()).isEqualTo("new");
        assertThat(c.tags()).containsExactly("base", "team");
        assertThat(SecretScanner.builder().rules(set).build()
                .scan("basea_123456 baseb_123456 basec_123456", "x").findings())
                .extracting(Finding::ruleId).containsExactly("base-a", "base-c");
    }

    @Test
    void use_default_extends_mayflys_builtin_rules() {
        RuleSet set = GitleaksRules.parse("""
                [extend]
                useDefault = true
                disabledRules = ["generic-api-key"]
                [[rules]]
                id = "jwt"
                [[rules.allowlists]]
                regexes = ['''^eyJhbGciOiJIUzI1NiJ9''']
                """);

        assertThat(set.rule(BuiltinRules.MAYFLY_REFRESH_TOKEN)).isPresent();
        assertThat(set.rule(BuiltinRules.GENERIC)).isEmpty();
        assertThat(set.rule("jwt").orElseThrow().allowlists()).hasSize(1);
        assertThat(set.rule("jwt").orElseThrow().anchors()).contains("eyj");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("ungreedy flag", "[[rules]]\nid = \"bad-flag\"\nregex = \'\'\'(?U)a+\'\'\'", "bad-flag", "(?U)"),
                Arguments.of("composite rule", "[[rules]]\nid = \"composite\"\nregex = \'\'\'x\'\'\'\n[[rules.required]]\nid = \"y\"",
                        "composite", "composite rules"),
                Arguments.of("unknown key", "[[rules]]\nid = \"typo\"\nregx = \'\'\'x\'\'\'", "typo", "unknown key 'regx'"),
                Arguments.of("lookahead", "[[rules]]\nid = \"look\"\nregex = \'\'\'a(?=b)\'\'\'", "look", "lookaround"),
                Arguments.of("no regex, no path", "[[rules]]\nid = \"empty\"", "empty", "needs a regex or a path"),
                Arguments.of("secret group too high", "[[rules]]\nid = \"grp\"\nregex = \'\'\'(a)b\'\'\'\nsecretGroup = 3",
                        "grp", "secretGroup 3"),
                Arguments.of("empty allowlist", "[[rules]]\nid = \"al\"\nregex = \'\'\'a\'\'\'\n[[rules.allowlists]]\n"
                        + "description = \"x\"", "al", "at least one"),
                Arguments.of("bad condition", "[[rules]]\nid = \"cond\"\nregex = \'\'\'a\'\'\'\n[[rules.allowlists]]\n"
                        + "condition = \"XOR\"\nstopwords = [\"a\"]", "cond", "condition"),
                Arguments.of("extend url", "[extend]\nurl = \"https://example.com/x.toml\"", null, "extend.url"),
                Arguments.of("unknown target", "[[rules]]\nid = \"r\"\nregex = \'\'\'a\'\'\'\n[[allowlists]]\n"
                        + "targetRules = [\"nope\"]\nstopwords = [\"a\"]", "nope", "unknown rule 'nope'"),
                Arguments.of("backreference", "[[rules]]\nid = \"bref\"\nregex = \'\'\'(a)\\1\'\'\'", "bref",
                        "backreference"),
                Arguments.of("regex that Java cannot compile", "[[rules]]\nid = \"paren\"\nregex = \'\'\'(ab\'\'\'", "paren",
                        "does not compile"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void unsupported_or_invalid_constructs_fail_naming_the_rule(String name, String toml, String ruleId, String why) {
        assertThatThrownBy(() -> GitleaksRules.parse(toml)).isInstanceOfSatisfying(MayflyException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).contains(why);
            if (ruleId != null) {
                assertThat(e.getMessage()).contains("'" + ruleId + "'");
                assertThat(e.error().details()).containsEntry("rule_id", ruleId);
            }
        });
    }

    @Test
    void real_world_gitleaks_syntax_imports_and_matches() {
        RuleSet set = GitleaksRules.parse("""
                title = "syntax seen in gitleaks' own default configuration"

                [allowlist]
                description = "global"
                regexes = [
                    '''^\\$(?:\\d+|{\\d+})$''',
                    '''^\\{\\{[ \\t]*[\\w ().|]+[ \\t]*}}$''',
                ]
                stopwords = ["abcdefghijklmnopqrstuvwxyz"]

                [[rules]]
                id = "widget-token"
                regex = '''(?i)[\\w.-]{0,50}?(?:(?-i:WIDGET|[Ww]idget))(?:[ \\t\\w.-]{0,20})[\\s'"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\\x60'"\\s=]{0,5}([a-z0-9]{24})(?:[\\x60'"\\s;]|\\\\[nr]|$)'''
                entropy = 3
                keywords = ["widget"]

                [[rules]]
                id = "gadget-blob"
                regex = '''\\bZ2Fk(?:(?P<key_ops>Z2V0)|(?P<x5t_s256>cGFy))[a-zA-Z0-9\\/\\\\_+\\-\\r\\n]{20,}={0,2}'''
                keywords = ["z2fk"]

                [[rules]]
                id = "yaml-block"
                regex = '''(?i)\\bkind:[ \\t]*["']?secretthing["']?(?s:.){0,50}?\\bvalue:[ \\t]*([a-z0-9]{12,})'''
                keywords = ["secretthing"]

                [[rules]]
                id = "bracket-user"
                regex = '''user=\\[[^]]+]:([a-z0-9]{10})'''

                [[rules]]
                id = "short-keyword"
                regex = '''QQ[0-9a-f]{32}'''
                keywords = ["qq"]
                """);
        SecretScanner s = SecretScanner.builder().rules(set).decodings(java.util.EnumSet.noneOf(
                dev.mayfly.scanner.Decoding.class)).build();

        String text = "Widget_Key = 'q7w8e9r0t1y2u3i4o5p6a7s8'\n"
                + "blob Z2FkZ2V0cGFyYW1ldGVyc29mdGhlZ2FkZ2V0\n"
                + "kind: SecretThing\nmeta: 1\nvalue: abc123def456ghi\n"
                + "user=[admin]:pw12345678\n"
                + "id QQ0123456789abcdef0123456789abcdef\n"
                + "widget = $12\n";

        assertThat(s.scan(text, "x").findings()).extracting(Finding::ruleId, Finding::line).containsExactly(
                org.assertj.core.groups.Tuple.tuple("widget-token", 1),
                org.assertj.core.groups.Tuple.tuple("gadget-blob", 2),
                org.assertj.core.groups.Tuple.tuple("yaml-block", 5),
                org.assertj.core.groups.Tuple.tuple("bracket-user", 6),
                org.assertj.core.groups.Tuple.tuple("short-keyword", 7));
    }

    @Test
    void invalid_toml_is_a_usage_error_with_a_line_number() {
        assertThatThrownBy(() -> GitleaksRules.parse("[[rules]]\nid = \"x\"\nregex = '''unterminated\n"))
                .isInstanceOfSatisfying(MayflyException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
                    assertThat(e.getMessage()).contains("not valid TOML");
                });
    }

    @Test
    void missing_file_is_not_found(@TempDir Path dir) {
        assertThatThrownBy(() -> GitleaksRules.load(dir.resolve("nope.toml")))
                .isInstanceOfSatisfying(MayflyException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void an_imported_rule_replaces_the_builtin_rule_with_the_same_id() {
        RuleSet merged = BuiltinRules.all().plus(GitleaksRules.parse("""
                [[rules]]
                id = "jwt"
                regex = '''never_matches_[0-9]{99}'''
                """));

        assertThat(merged.size()).isEqualTo(BuiltinRules.all().size());
        assertThat(merged.rule("jwt").orElseThrow().regex().orElseThrow().pattern()).contains("never_matches");
    }
}

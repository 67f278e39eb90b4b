package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Prefilter anchors derived from regexes: every match must contain one of them. */
class LiteralExtractorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "ghp_[0-9A-Za-z]{36};ghp_;true",
        "gh[us]_[0-9A-Za-z]{36};ghs_,ghu_;true",
        "(?<![A-Z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16};a3t,akia,asia;true",
        "xox[bp]-[a-z]+;xoxb-,xoxp-;true",
        "(?i)\\bSECRET_[A-Z]+;secret_;true",
        "https?://hooks\\.slack\\.com/x;http://hooks.slack.com/x,https://hooks.slack.com/x;true",
        "[a-z]{4}T3BlbkFJ[A-Za-z0-9]{20};t3blbkfj;false",
        "\\Qa.b+c\\E[a-z]+;a.b+c;true",
        "(?<name>tok)en_(?=x)[a-z]+;token_;true",
        "mfy_rt_[0-9A-Za-z]{38};mfy_rt_;true",
        "[a-z]+=(?:abc|abd)\\d;=abc,=abd;false",
        "(?:aws_?)?secret;awssecret,aws_secret,secret;true",
    })
    void derives_the_best_literals(String regex, String anchors, boolean prefixes) {
        RegexFacts facts = LiteralExtractor.analyze(regex);

        assertThat(facts.anchors).containsExactlyInAnyOrderElementsOf(Set.of(anchors.split(",")));
        assertThat(facts.prefixes).isEqualTo(prefixes);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "[a-z]{10,20}",
        "(?x) abc # comments change the syntax",
        "ab?c*",
        "(abc|[0-9]+)",
        "(abc)?def?",
    })
    void gives_no_anchor_when_a_match_need_not_contain_a_long_literal(String regex) {
        assertThat(LiteralExtractor.analyze(regex).anchors).isEmpty();
    }

    @Test
    void patterns_compiled_with_comments_or_literal_flags_run_unanchored() {
        Rule comments = Rule.builder("c").regex(Pattern.compile("abc def # x", Pattern.COMMENTS)).build();
        Rule literal = Rule.builder("l").regex(Pattern.compile("a.b*c", Pattern.LITERAL)).build();

        assertThat(comments.anchors()).isEmpty();
        assertThat(literal.anchors()).isEmpty();
    }

    @Test
    void to_builder_keeps_every_setting() {
        Rule pem = BuiltinRules.all().rule(BuiltinRules.PRIVATE_KEY).orElseThrow();
        Rule copy = pem.toBuilder().build();

        assertThat(copy.maxLength()).isEqualTo(pem.maxLength());
        assertThat(copy.anchors()).isEqualTo(pem.anchors());
        assertThat(copy.kind()).isEqualTo(pem.kind());
        assertThat(copy.description()).isEqualTo(pem.description());
    }

    @Test
    void computes_the_longest_possible_match() {
        assertThat(LiteralExtractor.analyze("ghp_[0-9A-Za-z]{36}").maxLength).isEqualTo(40);
        assertThat(LiteralExtractor.analyze("(?:ab|cde){2}x?").maxLength).isEqualTo(7);
        assertThat(LiteralExtractor.analyze("key=.*").maxLength).isEqualTo(RegexFacts.UNBOUNDED);
    }

    @Test
    void every_builtin_rule_runs_anchored_at_its_literal_prefixes() {
        for (Rule rule : BuiltinRules.all().rules()) {
            assertThat(rule.anchoredAtStart()).as(rule.id()).isTrue();
            assertThat(rule.anchors()).as(rule.id()).isNotEmpty()
                    .allSatisfy(a -> assertThat(a.length()).isGreaterThanOrEqualTo(3));
        }
    }

    @Test
    void anchors_are_sound_on_generated_matches() {
        // A regex whose matches vary: check each generated match contains an anchor.
        String regex = "(?:pre|post)fix_(?:one|two|three)[0-9]{2}";
        RegexFacts facts = LiteralExtractor.analyze(regex);
        Pattern p = Pattern.compile(regex);
        for (String a : new String[] {"pre", "post"}) {
            for (String b : new String[] {"one", "two", "three"}) {
                String s = a + "fix_" + b + "42";
                assertThat(p.matcher(s).matches()).isTrue();
                assertThat(facts.anchors).anySatisfy(anchor -> assertThat(s.toLowerCase()).contains(anchor));
            }
        }
    }
}

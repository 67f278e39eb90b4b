package dev.mayfly.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go RE2 syntax as gitleaks writes it, translated to java.util.regex. */
class GoRegexTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "(?P<key>[a-z]+)=(?P<val>\\d+)|(?<key>[a-z]+)=(?<val>\\d+)",
        "(?P<secret_value>x)|(?<secretvalue>x)",
        "[[:alnum:]]{4}|[\\p{Alnum}]{4}",
        "[[:^digit:]_]|[\\P{Digit}_]",
        "[[:word:]-]|[\\w-]",
        "abc\\z|abc\\z",
        "(?i)key|(?i)key",
        "(?is:a.b)|(?is:a.b)",
        "a\\vb|a\\x0Bb",
        "\\101|\\x{41}",
        "[[]|[\\[]",
        "[]a]|[\\]a]",
        "[a&&b]|[a\\&\\&b]",
        "x{|x\\{",
        "{,5}|\\{,5\\}",
        "a{2,}|a{2,}",
        "\\pL\\p{Greek}|\\p{L}\\p{IsGreek}",
        "\\x{1F600}|\\x{1F600}",
        "\\Q.*\\E|\\.\\*",
    })
    void translates(String go, String java) {
        assertThat(GoRegex.toJava(go)).isEqualTo(java);
        Pattern.compile(GoRegex.toJava(go), Pattern.UNIX_LINES);
    }

    @Test
    void translated_patterns_match_like_go() {
        Pattern p = Pattern.compile(GoRegex.toJava("(?i)(?P<k>api[_-]?key)\\s*=\\s*(?P<v>[[:alnum:]]{8,})\\z"),
                Pattern.UNIX_LINES);

        java.util.regex.Matcher m = p.matcher("API_KEY = abcd1234");
        assertThat(m.find()).isTrue();
        assertThat(m.group("v")).isEqualTo("abcd1234");
        assertThat(p.matcher("API_KEY = abcd1234\n").find()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "(?U)a+|ungreedy",
        "a\\Cb|\\C",
        "ab\\Z|\\Z",
        "(?=x)y|lookaround",
        "(?<!x)y|lookaround",
        "(a)\\1|backreference",
        "a**|nested repetition",
        "a{2}{3}|nested repetition",
        "\\e|escape",
        "[[:nope:]]|POSIX",
        "a{1001}|1000",
        "(?x)a|not supported",
    })
    void rejects_what_has_no_equivalent(String go, String reason) {
        assertThatThrownBy(() -> GoRegex.toJava(go)).isInstanceOf(UnsupportedRegexException.class)
                .hasMessageContaining(reason);
    }
}

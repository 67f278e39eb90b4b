package dev.mayfly.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

    @Test
    void parseSplitsOnAnyWhitespaceAndDedupesKeepingFirstOrder() {
        assertThat(Scopes.parse("  repo:read\tpayments:refund \n repo:read\r\nadmin   payments:refund\u000Bx\fy "))
                .containsExactly("repo:read", "payments:refund", "admin", "x", "y");
    }

    @Test
    void parseOfNothingIsEmpty() {
        assertThat(Scopes.parse(null)).isEmpty();
        assertThat(Scopes.parse("")).isEmpty();
        assertThat(Scopes.parse(" \t\n ")).isEmpty();
        assertThat(Scopes.parse("a")).containsExactly("a");
    }

    @Test
    void parseResultIsUnmodifiable() {
        List<String> scopes = Scopes.parse("a b");
        assertThatThrownBy(() -> scopes.add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void joinIsSpaceDelimitedAndRoundTrips() {
        assertThat(Scopes.join(List.of("a:read", "b:write"))).isEqualTo("a:read b:write");
        assertThat(Scopes.join(List.of())).isEmpty();
        List<String> scopes = List.of("x", "y:z", "w");
        assertThat(Scopes.parse(Scopes.join(scopes))).isEqualTo(scopes);
    }

    @Test
    void missingListsRequiredScopesNotGrantedInRequiredOrderWithoutDuplicates() {
        assertThat(Scopes.missing(List.of("a", "b"), List.of("d", "b", "c", "d", "a", "c")))
                .containsExactly("d", "c");
        assertThat(Scopes.missing(Set.of("a", "b", "c"), List.of("c", "a"))).isEmpty();
        assertThat(Scopes.missing(List.of(), List.of("a"))).containsExactly("a");
        assertThat(Scopes.missing(List.of("a"), List.of())).isEmpty();
        // scope matching is exact: no prefixes, no case folding
        assertThat(Scopes.missing(List.of("repo:read", "Repo:write"), List.of("repo", "repo:write")))
                .containsExactly("repo", "repo:write");
    }

    @ParameterizedTest
    @ValueSource(strings = {"payments:read", "a", "!", "~", "mayfly:admin", "https://api.example/x?y=1#z", "[]{}|^`'"})
    void validScopeTokens(String s) {
        assertThat(Scopes.isValidScopeToken(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", " a", "a ", "a\"b", "\"", "a\\b", "\\", "a\tb", "a\nb", "\u0000", "\u001f",
            "\u007f", "é", "payments:réad", "\u00a0", "🔑"})
    void invalidScopeTokens(String s) {
        assertThat(Scopes.isValidScopeToken(s)).isFalse();
    }

    @Test
    void exactlyPrintableAsciiExceptSpaceQuoteAndBackslashIsAllowed() {
        for (char c = 0; c < 0x100; c++) {
            boolean expected = c >= 0x21 && c <= 0x7e && c != '"' && c != '\\';
            assertThat(Scopes.isValidScopeToken("a" + c + "b")).as("U+%04X", (int) c).isEqualTo(expected);
        }
    }

    @Test
    void tokensLongerThan200AreRefused() {
        assertThat(Scopes.isValidScopeToken("x".repeat(200))).isTrue();
        assertThat(Scopes.isValidScopeToken("x".repeat(201))).isFalse();
    }
}

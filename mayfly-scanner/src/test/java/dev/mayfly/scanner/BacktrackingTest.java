package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.GitleaksRules;
import dev.mayfly.scanner.rules.RuleSet;
import org.junit.jupiter.api.Test;

/** A catastrophically backtracking imported regex is stopped by the step budget; the scan goes on. */
class BacktrackingTest {
    private static final String EVIL_RULES = """
            [[rules]]
            id = "evil-nested-quantifier"
            description = "exponential on a long run of a's"
            regex = '''(a+)+b'''
            keywords = ["aaaa"]

            [[rules]]
            id = "evil-unanchored"
            regex = '''(b+)+c'''

            [[rules]]
            id = "deep-recursion"
            regex = '''(z|zz)+q'''

            [[rules]]
            id = "fine"
            regex = '''fine_[0-9]{8}'''
            """;

    @Test
    void the_runaway_rule_is_stopped_and_reported_and_other_rules_still_match() {
        RuleSet rules = GitleaksRules.parse(EVIL_RULES);
        SecretScanner scanner = SecretScanner.builder().rules(rules).regexStepsPerChar(50).build();
        String text = "start\n" + "a".repeat(3000) + "\n" + "b".repeat(3000) + "\n" + "z".repeat(20000)
                + "\nfine_12345678\n";

        ScanResult result = scanner.scan(text, "evil.txt");

        assertThat(result.findings()).extracting(Finding::ruleId, Finding::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("fine", 5));
        assertThat(result.warnings()).extracting(ScanWarning::code, ScanWarning::ruleId).contains(
                org.assertj.core.groups.Tuple.tuple(ScanWarning.Code.REGEX_BUDGET_EXCEEDED, "evil-nested-quantifier"),
                org.assertj.core.groups.Tuple.tuple(ScanWarning.Code.REGEX_BUDGET_EXCEEDED, "evil-unanchored"));
        // java.util.regex recurses per repetition: a long run overflows the stack or spends the budget first
        assertThat(result.warnings()).filteredOn(w -> "deep-recursion".equals(w.ruleId())).isNotEmpty()
                .allSatisfy(w -> assertThat(w.code()).isIn(ScanWarning.Code.REGEX_BUDGET_EXCEEDED,
                        ScanWarning.Code.REGEX_STACK_OVERFLOW));
        assertThat(result.warnings()).allSatisfy(w -> assertThat(w.message()).doesNotContain("aaaa", "zzzz"));
    }

    @Test
    void the_budget_counts_every_character_the_regex_reads() {
        BudgetedCharSequence seq = new BudgetedCharSequence();
        seq.reset("abcdef".toCharArray(), 6);
        seq.arm(3);

        assertThat(seq.charAt(0)).isEqualTo('a');
        assertThat(seq.charAt(1)).isEqualTo('b');
        assertThat(seq.charAt(2)).isEqualTo('c');
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> seq.charAt(3))
                .isInstanceOf(BudgetedCharSequence.RegexBudgetExceeded.class);
        seq.disarm();
        assertThat(seq.charAt(5)).isEqualTo('f');
        assertThat(seq.subSequence(1, 3).toString()).isEqualTo("bc");
    }
}

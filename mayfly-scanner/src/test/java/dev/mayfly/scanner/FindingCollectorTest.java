package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mayfly.core.secret.Secret;
import dev.mayfly.scanner.rules.Rule;
import dev.mayfly.scanner.rules.RuleSet;
import dev.mayfly.scanner.rules.SecretPrefixes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link FindingCollector}: a match becomes a finding only when the segment owns it and its rule accepts
 * it; a (rule, fingerprint, offset) is reported once per input; a segment's findings go out when it ends,
 * in input order, without the generic ones a specific one overlaps; positions map through the view and the
 * segment to the input. The segment here maps character {@code i} to offset {@code 1000 + i}, line
 * {@code 7 + i / 10}, column {@code 1 + i % 10}, so a position taken from the wrong place shows.
 */
class FindingCollectorTest {
    private static final Rule TOKEN = Rule.builder("token").regex("tok_([a-z0-9]{8})").secretGroup(1)
            .description("a token").kind("test").build();
    private static final Rule OTHER = Rule.builder("other").regex("tok_([a-z0-9]{8})").secretGroup(1).build();
    private static final Rule GENERIC = Rule.builder("generic").regex("key=(\\S+)").secretGroup(1).generic(true).build();
    /** Accepts a match only when the text right before it says so: the same secret can be refused, then taken. */
    private static final Rule PICKY = Rule.builder("picky").regex("tok_([a-z0-9]{8})").secretGroup(1)
            .check(c -> c.before().endsWith("ok ")).build();

    private final List<Finding> reported = new ArrayList<>();
    private final FindingCollector collector = new FindingCollector(RuleSet.of(List.of(TOKEN, OTHER, GENERIC, PICKY)),
            null, "src/app.log", "src/app.log", reported::add);

    @Test
    void a_match_becomes_a_finding_at_its_secrets_input_position() {
        String text = "xx tok_abcdef12 yy";
        collector.startSegment(segment(text, 0, text.length()));
        collector.add(TOKEN, root(text), 3, 15, 7, 15);
        collector.endSegment();
        assertThat(reported).hasSize(1);
        Finding f = reported.get(0);
        assertThat(f.ruleId()).isEqualTo("token");
        assertThat(f.description()).isEqualTo("a token");
        assertThat(f.kind()).isEqualTo("test");
        assertThat(f.source()).isEqualTo("src/app.log");
        assertThat(f.offset()).isEqualTo(1007);
        assertThat(f.line()).isEqualTo(7);
        assertThat(f.column()).isEqualTo(8);
        // the end is the secret's last character, not the one after it
        assertThat(f.endLine()).isEqualTo(8);
        assertThat(f.endColumn()).isEqualTo(5);
        assertThat(f.spans()).containsExactly(1007, 1015);
        assertThat(f.fingerprint()).isEqualTo(Secret.sha256Hex("abcdef12").substring(0, Finding.FINGERPRINT_HEX_DIGITS));
        assertThat(f.redacted()).isEqualTo(SecretPrefixes.visiblePrefix("abcdef12") + Finding.MASK).doesNotContain("abcdef12");
        assertThat(f.decodedFrom()).isEmpty();
    }

    @Test
    void a_decoded_views_match_maps_to_the_input_and_names_its_decoders_segments_first() {
        String text = "\"tok_abc\\u0064ef12\"";
        View json = JsonStringDecoder.decode(root(text), new Scratch(2));
        String decoded = new String(json.text, 0, json.length);
        int gs = decoded.indexOf("abcdef12");
        collector.startSegment(segment(text, 0, text.length(), Decoding.LLM_STREAM));
        collector.add(TOKEN, json, gs - 4, gs + 8, gs, gs + 8);
        collector.endSegment();
        assertThat(reported).singleElement().satisfies(f -> {
            assertThat(f.offset()).isEqualTo(1000 + text.indexOf("abc"));
            assertThat(f.spans()).containsExactly(1000 + text.indexOf("abc"), 1000 + text.indexOf("12\"") + 2);
            assertThat(f.decodedFrom()).containsExactly(Decoding.LLM_STREAM, Decoding.JSON_STRING);
            assertThat(f.fingerprint()).isEqualTo(Secret.sha256Hex("abcdef12").substring(0, Finding.FINGERPRINT_HEX_DIGITS));
        });
    }

    /** Catches a secret group ignored or stood in for, an empty group taken, or a group skipped. */
    @Test
    void the_secret_is_the_rules_group_else_the_first_group_that_matched_something_else_the_whole_match() {
        String text = "a=tok_abcdef12;";
        Rule secretGroup = Rule.builder("g2").regex("(a=)(tok_)([a-z0-9]{8})").secretGroup(3).build();
        Rule firstNonEmpty = Rule.builder("g0").regex("(x)?()(tok_[a-z0-9]{8})(;)").build();
        Rule whole = Rule.builder("m").regex("tok_[a-z0-9]{8}").build();
        // a secret group that matched nothing is no secret: no other group stands in for it
        Rule emptyGroup = Rule.builder("e").regex("(x?)(tok_[a-z0-9]{8})").secretGroup(1).build();
        List<Rule> rules = List.of(secretGroup, firstNonEmpty, whole, emptyGroup);
        FindingCollector c = new FindingCollector(RuleSet.of(rules), null, "s", "s", reported::add);
        c.startSegment(segment(text, 0, text.length()));
        for (Rule r : rules) {
            Matcher m = r.regex().orElseThrow().matcher(text);
            assertThat(m.find()).isTrue();
            c.add(r, root(text), m);
        }
        c.endSegment();
        assertThat(reported).extracting(Finding::ruleId, Finding::offset, Finding::fingerprint).containsExactly(
                tuple("g0", 1002L, fingerprint("tok_abcdef12")),
                tuple("m", 1002L, fingerprint("tok_abcdef12")),
                tuple("g2", 1006L, fingerprint("abcdef12")));
    }

    /** A secret belongs to the segment that owns its first character; catches an off-by-one at either end. */
    @Test
    void a_match_is_the_segments_only_when_it_owns_the_secrets_first_character() {
        String text = "tok_aaaaaaa1 tok_bbbbbbb2 tok_ccccccc3 tok_ddddddd4";
        int[] starts = {4, 17, 30, 43};
        // owns [17, 30): the secrets at 17 (its first character) and 30 (its end) are on its edges
        collector.startSegment(segment(text, 17, 30));
        for (int s : starts) {
            collector.add(TOKEN, root(text), s - 4, s + 8, s, s + 8);
        }
        // an empty secret is no secret
        collector.add(TOKEN, root(text), 17, 17, 17, 17);
        collector.endSegment();
        assertThat(reported).extracting(Finding::offset).containsExactly(1017L);
        // owns [30, 31): only the secret starting on its last character
        collector.startSegment(segment(text, 30, 31));
        for (int s : starts) {
            collector.add(TOKEN, root(text), s - 4, s + 8, s, s + 8);
        }
        collector.endSegment();
        assertThat(reported).extracting(Finding::offset).containsExactly(1017L, 1030L);
    }

    @Test
    void a_rule_fingerprint_and_offset_is_reported_once_per_input_across_segments() {
        String text = "tok_abcdef12 tok_abcdef12";
        FindingCollector c = collector;
        Segment segment = segment(text, 0, text.length());
        c.startSegment(segment);
        c.add(TOKEN, root(text), 0, 12, 4, 12);
        c.add(TOKEN, root(text), 0, 12, 4, 12); // the same match again, as a decoded view would see it
        c.add(OTHER, root(text), 0, 12, 4, 12); // another rule: another finding
        c.add(TOKEN, root(text), 13, 25, 17, 25); // another offset: another finding
        c.endSegment();
        c.startSegment(segment); // a later segment reaching the same input (a stream's lane, say)
        c.add(TOKEN, root(text), 13, 25, 17, 25);
        c.endSegment();
        assertThat(reported).extracting(Finding::ruleId, Finding::offset).containsExactly(
                tuple("token", 1004L), tuple("other", 1004L),
                tuple("token", 1017L));
    }

    /** Only accepted matches count as seen: a refusal in one context does not hide the secret found in another. */
    @Test
    void a_refused_match_does_not_hide_the_same_secret_accepted_later() {
        String refused = "no tok_abcdef12";
        String accepted = "ok tok_abcdef12";
        collector.startSegment(segment(refused, 0, refused.length()));
        collector.add(PICKY, root(refused), 3, 15, 7, 15);
        collector.endSegment();
        assertThat(reported).isEmpty();
        collector.startSegment(segment(accepted, 0, accepted.length()));
        collector.add(PICKY, root(accepted), 3, 15, 7, 15);
        collector.endSegment();
        assertThat(reported).extracting(Finding::offset).containsExactly(1007L);
    }

    @Test
    void findings_go_out_when_the_segment_ends_in_input_order() {
        String text = "tok_aaaaaaa1 tok_bbbbbbb2 tok_ccccccc3";
        collector.startSegment(segment(text, 0, text.length()));
        collector.add(TOKEN, root(text), 26, 38, 30, 38);
        collector.add(TOKEN, root(text), 0, 12, 4, 12);
        collector.add(TOKEN, root(text), 13, 25, 17, 25);
        assertThat(reported).isEmpty();
        collector.endSegment();
        assertThat(reported).extracting(Finding::offset).containsExactly(1004L, 1017L, 1030L);
    }

    /** A segment abandoned half way (an exception out of a rule) leaves nothing behind for the next one. */
    @Test
    void starting_a_segment_drops_what_an_unfinished_one_collected() {
        String text = "tok_aaaaaaa1 tok_bbbbbbb2";
        collector.startSegment(segment(text, 0, text.length()));
        collector.add(TOKEN, root(text), 0, 12, 4, 12);
        collector.startSegment(segment(text, 0, text.length()));
        collector.add(TOKEN, root(text), 13, 25, 17, 25);
        collector.endSegment();
        assertThat(reported).extracting(Finding::offset).containsExactly(1017L);
    }

    /**
     * A generic finding over characters a specific one covers says less: it goes. One that only touches a
     * specific one, or overlaps another generic one, stays, and specific ones never yield.
     */
    @Test
    void a_generic_finding_yields_to_a_specific_one_over_the_same_characters() {
        //             0         1         2         3         4
        //             0123456789012345678901234567890123456789012
        String text = "key=tok_abcdef12 key=zzzzzzzzabcdef34yyyyyy";
        collector.startSegment(segment(text, 0, text.length()));
        collector.add(GENERIC, root(text), 0, 16, 4, 16); // covers the specific secret at [8, 16): goes
        collector.add(TOKEN, root(text), 4, 16, 8, 16);
        collector.add(OTHER, root(text), 4, 16, 6, 14); // a specific one overlapping a specific one: stays
        collector.add(GENERIC, root(text), 17, 29, 21, 29); // ends where the specific [29, 37) starts: stays
        collector.add(GENERIC, root(text), 17, 31, 22, 31); // overlaps that generic one and that specific one: goes
        collector.add(TOKEN, root(text), 25, 37, 29, 37);
        collector.add(GENERIC, root(text), 33, 43, 37, 43); // starts where the specific one ends: stays
        collector.endSegment();
        assertThat(reported).extracting(Finding::ruleId, Finding::offset).containsExactly(
                tuple("other", 1006L), tuple("token", 1008L), tuple("generic", 1021L), tuple("token", 1029L),
                tuple("generic", 1037L));
    }

    @Test
    void a_path_rule_reports_the_path_when_accepted() {
        Rule pem = Rule.builder("pem-file").path(Pattern.compile("\\.pem$")).build();
        Rule refused = Rule.builder("refused").path(Pattern.compile("\\.pem$")).check(c -> false).build();
        FindingCollector c = new FindingCollector(RuleSet.of(List.of(pem, refused)), null, "keys\\id.pem", "keys/id.pem",
                reported::add);
        c.reportPathRule(pem);
        c.reportPathRule(refused);
        assertThat(reported).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("pem-file");
            assertThat(f.source()).isEqualTo("keys\\id.pem");
            assertThat(f.redacted()).isEqualTo("file detected");
            assertThat(f.fingerprint()).isEqualTo(fingerprint("keys/id.pem"));
            assertThat(f.offset()).isZero();
        });
    }

    private static String fingerprint(String s) {
        return Secret.sha256Hex(s).substring(0, Finding.FINGERPRINT_HEX_DIGITS);
    }

    private static View root(String text) {
        char[] chars = text.toCharArray();
        return View.root(chars, chars.length);
    }

    private static Segment segment(String text, int ownStart, int ownEnd) {
        return segment(text, ownStart, ownEnd, null);
    }

    /** Character {@code i} at offset {@code 1000 + i}, line {@code 7 + i / 10}, column {@code 1 + i % 10}. */
    private static Segment segment(String text, int ownStart, int ownEnd, Decoding decoding) {
        Segment s = new Segment() {
            @Override
            long inputStart(int i) {
                return 1000 + i;
            }

            @Override
            int line(int i) {
                return 7 + i / 10;
            }

            @Override
            int column(int i) {
                return 1 + i % 10;
            }

            @Override
            long[] spans(int from, int to) {
                return new long[] {1000 + from, 1000 + to};
            }

            @Override
            boolean truncatedStart() {
                return false;
            }

            @Override
            Decoding decoding() {
                return decoding;
            }
        };
        s.text = text.toCharArray();
        s.length = text.length();
        s.ownStart = ownStart;
        s.ownEnd = ownEnd;
        return s;
    }
}

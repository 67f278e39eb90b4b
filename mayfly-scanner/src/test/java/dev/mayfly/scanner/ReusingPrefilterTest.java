package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.scanner.rules.BuiltinRules;
import dev.mayfly.scanner.rules.Rule;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * {@link ReusingPrefilter}'s invariant: whatever it reuses, the hits it returns for a view are exactly those
 * of a full search of that view over the range asked, in the automaton's order; and the reuse is real (a
 * stretch whose hits it already has is not searched again). Cases are built where an off-by-one in a margin,
 * a missing guard or a stale carry shows. {@link PrefilterReuseTest} and {@link CarriedHitsTest} do the same
 * on random text through {@link ChunkScanner}.
 */
class ReusingPrefilterTest {
    private static final CompiledRules COMPILED = new CompiledRules(BuiltinRules.all());
    private static final Settings SETTINGS = new Settings(SecretScanner.builder());
    private static final LiteralAutomaton AUTOMATON = COMPILED.automatonWithEscapes;

    @Test
    void is_off_when_no_view_is_decoded() {
        assertThat(ReusingPrefilter.forSettings(COMPILED, new Settings(SecretScanner.builder().decodeDepth(0)))).isNull();
        assertThat(ReusingPrefilter.forSettings(COMPILED,
                new Settings(SecretScanner.builder().decodings(EnumSet.of(Decoding.LLM_STREAM))))).isNull();
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        assertThat(p).isNotNull();
        assertThat(p.automaton).isSameAs(AUTOMATON);
    }

    /**
     * Every character of every rule literal, rewritten by a decoder (JSON or percent escape, or both
     * nested), at the edge of a stretch: the hits around it must be searched again, exactly as far as a
     * literal can reach. Catches a margin or reach one short (a hit lost), one long of what the reused
     * hits exclude (a hit twice), or a parent hit that starts inside an escape taken over.
     */
    @Test
    void a_decoded_views_hits_are_a_full_searchs_with_any_character_of_any_literal_rewritten() {
        Scratch scratch = new Scratch(SETTINGS.decodeDepth);
        int views = 0;
        for (String literal : literals()) {
            for (int i = 0; i < literal.length(); i++) {
                char c = literal.charAt(i);
                String head = literal.substring(0, i);
                String tail = literal.substring(i + 1);
                for (String escaped : new String[] {
                    String.format(Locale.ROOT, "\\u%04x", (int) c), String.format(Locale.ROOT, "%%%02X", (int) c),
                    String.format(Locale.ROOT, "%%5Cu%04x", (int) c)}) {
                    // and the literal starting inside an escape (at its last hex digit), unchanged in the
                    // parent only: a rewritten character no literal contains is searched around by no one
                    String text = "x" + literal + head + escaped + tail + literal + "\\n" + literal + "%20" + literal
                            + "%0" + literal + "\\u000" + literal;
                    ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
                    views += assertDepthFirst(p, scratch, root(text), 0, text.length());
                }
            }
        }
        assertThat(views).isGreaterThan(1_000);
    }

    /**
     * The root searched over part of itself only: a decoded view must search, itself, what lies outside
     * that part, including the longest literal cut by the part's edge. The rewritten characters are far
     * from the edges, so their own searches do not hide a short edge search. Catches a dropped or short
     * edge search.
     */
    @Test
    void a_decoded_view_searches_what_its_root_was_not_searched_over() {
        Scratch scratch = new Scratch(SETTINGS.decodeDepth);
        String far = "~".repeat(40);
        String text = "AKIA https://hooks.slack.com/workflows/" + far + "\\u0041 %41KIA -----BEGIN ghp_\\/mfy_rt_%25 AKIA" + far
                + "https://hooks.slack.com/workflows/ AKIA";
        for (int from = 0; from <= text.length(); from++) {
            for (int to = from; to <= text.length(); to += 1 + from % 3) {
                ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
                assertDepthFirst(p, scratch, root(text), from, to);
            }
        }
    }

    /** The parent's hits over unchanged stretches are taken, not searched for: a hit removed from them stays away. */
    @Test
    void a_decoded_view_does_not_search_again_what_its_decoder_left_unchanged() {
        String text = "AKIA and ghp_ then, far from both, an escape: \\n, and a literal after it, mfy_rt_";
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        View root = root(text);
        PrefilterHits parent = p.hits(root, 0, root.length);
        long ghp = key(text, "ghp_");
        assertThat(keys(parent)).contains(ghp);
        remove(parent, ghp);
        View decoded = JsonStringDecoder.decode(root, new Scratch(SETTINGS.decodeDepth));
        long[] hits = keys(p.hits(decoded, 0, decoded.length));
        assertThat(hits).doesNotContain(ghp).contains(key(text, "AKIA"));
        assertThat(hits).contains(PrefilterHits.moved(key(text, "mfy_rt_"), PrefilterHits.end(key(text, "mfy_rt_")) - 1));
    }

    /** Catches reading an escape off the wrong end of its hit, or skipping the text outside the searched part. */
    @Test
    void escape_starts_are_every_percent_or_backslash_of_the_view() {
        String text = "%\\ab%41\\u0041%%\\\\x AKIA%2F\\/ %";
        for (int from = 0; from <= text.length(); from++) {
            for (int to = from; to <= text.length(); to++) {
                ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
                View root = root(text);
                p.hits(root, from, to);
                for (char c : new char[] {'%', '\\'}) {
                    assertThat(p.escapeStarts(root, c).toArray()).as("%c in [%d, %d)", c, from, to)
                            .containsExactly(JsonStringDecoder.positionsOf(root.text, root.length, c, new IntList()).toArray());
                }
            }
        }
    }

    /**
     * Windows the way {@link StreamScan} moves them, with the kept part's end cutting each literal at every
     * position and the drop cutting it too: the next window's hits are a full search's. The kept part may
     * end before the window does. Catches a hit across the drop or the kept end carried, or the search past
     * the carried ones starting a character late.
     */
    @Test
    void a_main_window_after_a_carry_has_a_full_searchs_hits_wherever_the_cut_falls() {
        String input = "x \\%https://hooks.slack.com/workflows/ -----BEGIN PRIVATE KEY password=% \\u0041 AKIA ghp_";
        for (int kept = 1; kept < input.length(); kept++) {
            for (int drop = 1; drop < 12; drop++) {
                ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
                // the first window is the input's first `drop` characters and then `kept` more
                // and, when `kept` is short, a few characters the next window does not keep
                char[] first = input.substring(0, Math.min(input.length(), drop + kept + kept % 3)).toCharArray();
                int keptHere = Math.min(kept, first.length - drop);
                if (keptHere <= 0) {
                    continue;
                }
                mainWindow(p, first);
                p.carryRootHits(drop, keptHere);
                char[] next = input.substring(drop).toCharArray();
                p.startSegment(true);
                assertThat(keys(p.hits(View.root(next, next.length), 0, next.length))).as("kept %d, drop %d", kept, drop)
                        .containsExactly(fullSearch(next, 0, next.length));
            }
        }
    }

    /** The kept part is not searched again: a change there (which {@link StreamScan} never makes) goes unseen. */
    @Test
    void a_main_window_searches_only_past_what_was_carried() {
        char[] window = "AKIA ghp_ padding padding padding xoxb- and more".toCharArray();
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        mainWindow(p, window);
        p.carryRootHits(0, window.length);
        char[] next = Arrays.copyOf(window, window.length);
        next[6] = '#'; // ghp_ is no literal any more
        p.startSegment(true);
        assertThat(keys(p.hits(View.root(next, next.length), 0, next.length))).contains(key(new String(window), "ghp_"));
    }

    /** What was carried serves the one window that follows; a later window is searched in full. */
    @Test
    void carried_hits_are_used_once() {
        char[] window = "AKIA ghp_ padding -----BEGIN ".toCharArray();
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        mainWindow(p, window);
        p.carryRootHits(0, window.length);
        mainWindow(p, window);
        char[] other = "nothing here at all, then xoxb- at the end ......".toCharArray();
        p.startSegment(true);
        assertThat(keys(p.hits(View.root(other, other.length), 0, other.length)))
                .containsExactly(fullSearch(other, 0, other.length));
    }

    /**
     * A reassembled stream's segment scanned between two main windows: it is searched in full, and the
     * hits carried for the next main window are still used there.
     */
    @Test
    void a_reassembled_segment_between_two_windows_neither_uses_nor_drops_what_is_carried() {
        char[] window = "AKIA ghp_ padding -----BEGIN ".toCharArray();
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        mainWindow(p, window);
        p.carryRootHits(0, window.length);
        char[] lane = "a lane's text: xoxb- then password, longer than the window".toCharArray();
        p.startSegment(false);
        assertThat(keys(p.hits(View.root(lane, lane.length), 0, lane.length))).containsExactly(fullSearch(lane, 0, lane.length));
        char[] next = window.clone();
        next[5] = '#'; // unseen if, and only if, the carried hits are used
        p.startSegment(true);
        assertThat(keys(p.hits(View.root(next, next.length), 0, next.length))).contains(key(new String(window), "ghp_"));
    }

    /** Nothing is carried from a reassembled stream's segment: its root is not the next main window's start. */
    @Test
    void nothing_is_carried_after_a_reassembled_segment() {
        char[] lane = "AKIA ghp_ padding -----BEGIN ".toCharArray();
        ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
        p.startSegment(false);
        p.hits(View.root(lane, lane.length), 0, lane.length);
        p.carryRootHits(0, lane.length);
        char[] next = "nothing alike, xoxb- ...........................".toCharArray();
        p.startSegment(true);
        assertThat(keys(p.hits(View.root(next, next.length), 0, next.length))).containsExactly(fullSearch(next, 0, next.length));
    }

    /** A root searched over less than it keeps has no complete hits to carry: the next window searches in full. */
    @Test
    void nothing_is_carried_from_a_root_not_searched_over_all_it_keeps() {
        char[] window = "AKIA ghp_ padding -----BEGIN xoxb- password".toCharArray();
        for (int[] range : new int[][] {{0, 20}, {1, window.length}, {0, window.length - 1}}) {
            ReusingPrefilter p = ReusingPrefilter.forSettings(COMPILED, SETTINGS);
            p.startSegment(true);
            p.hits(View.root(window, window.length), range[0], range[1]);
            p.carryRootHits(0, window.length);
            p.startSegment(true);
            assertThat(keys(p.hits(View.root(window, window.length), 0, window.length))).as(Arrays.toString(range))
                    .containsExactly(fullSearch(window, 0, window.length));
        }
    }

    /**
     * Searches {@code root} over {@code [from, to)}, then every view two decoders make of it, depth first as
     * the scanner does, checking each against a full search; returns how many views were checked.
     */
    private static int assertDepthFirst(ReusingPrefilter p, Scratch scratch, View root, int from, int to) {
        assertThat(keys(p.hits(root, from, to))).as("root [%d, %d)", from, to).containsExactly(fullSearch(root.text, from, to));
        return 1 + descend(p, scratch, root, from, to);
    }

    private static int descend(ReusingPrefilter p, Scratch scratch, View v, int from, int to) {
        if (v.depth >= 2) {
            return 0;
        }
        int views = 0;
        for (int decoder = 0; decoder < 2; decoder++) {
            View d = decoder == 0 ? JsonStringDecoder.decode(v, scratch) : PercentDecoder.decode(v, scratch);
            if (d == null) {
                continue;
            }
            assertThat(keys(p.hits(d, 0, d.length))).as("%s, root searched over [%d, %d)",
                    new String(d.text, 0, d.length), from, to).containsExactly(fullSearch(d.text, 0, d.length));
            views += 1 + descend(p, scratch, d, from, to);
        }
        return views;
    }

    private static void mainWindow(ReusingPrefilter p, char[] text) {
        p.startSegment(true);
        p.hits(View.root(text, text.length), 0, text.length);
    }

    private static View root(String text) {
        char[] chars = text.toCharArray();
        return View.root(chars, chars.length);
    }

    private static Set<String> literals() {
        Set<String> out = new TreeSet<>();
        for (Rule r : COMPILED.rules) {
            out.addAll(r.anchors());
        }
        return out;
    }

    private static long[] fullSearch(char[] text, int from, int to) {
        PrefilterHits full = new PrefilterHits(AUTOMATON);
        full.clear(from, to);
        AUTOMATON.scan(text, from, to, full);
        return keys(full);
    }

    private static long[] keys(PrefilterHits hits) {
        return Arrays.copyOf(hits.keys, hits.size);
    }

    /** The hit of the literal's first occurrence in {@code text}, as a full search reports it. */
    private static long key(String text, String literal) {
        int end = text.indexOf(literal) + literal.length();
        char[] chars = text.toCharArray();
        return LongStream.of(fullSearch(chars, 0, chars.length))
                .filter(k -> PrefilterHits.end(k) == end && PrefilterHits.length(k) == literal.length())
                .findFirst().orElseThrow();
    }

    private static void remove(PrefilterHits hits, long key) {
        int size = 0;
        for (int k = 0; k < hits.size; k++) {
            if (hits.keys[k] != key) {
                hits.keys[size++] = hits.keys[k];
            }
        }
        hits.size = size;
    }
}

package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the scanner's decoders and stream reassembly (in this package: they are package-private).
 * Properties: no decoder throws; every character of a decoded view, one or two decoders deep, maps back
 * to a non-empty range inside the input; {@link JsonLine} returns a value or {@code null}, never throws,
 * and its strings lie inside the line; the built-in generic rule matched by hand agrees with its regex,
 * and its pre-check never refuses a hit the regex matches at; a decoded view's reused prefilter hits are
 * a full pass's (the full pass walked in one go, so the two-halves walk is checked too); the decoders'
 * fast paths equal their plain one-character-at-a-time versions ({@link PlainDecoders}); an event line
 * read in place ({@link StreamEvents#read}) records what the parsed reading records;
 * and a whole scan (with LLM-stream reassembly over JSONL/SSE) never throws and reports only findings
 * that lie inside the input.
 */
class ScannerFuzzTest {
    private static final SecretScanner SCANNER = SecretScanner.create();
    private static final CompiledRules COMPILED = new CompiledRules(dev.mayfly.scanner.rules.BuiltinRules.all());
    private static final Settings SETTINGS = new Settings(SecretScanner.builder());
    private static final java.util.regex.Pattern GENERIC = dev.mayfly.scanner.rules.BuiltinRules.all().rules().stream()
            .filter(r -> r.id().equals(dev.mayfly.scanner.rules.BuiltinRules.GENERIC)).findFirst().orElseThrow()
            .regex().orElseThrow();

    @FuzzTest(maxDuration = "5m")
    void decodersMapEveryCharacterBackIntoTheInput(FuzzedDataProvider data) {
        boolean truncatedStart = data.consumeBoolean();
        String input = data.consumeRemainingAsString();
        char[] text = input.toCharArray();
        View root = View.root(text, text.length);
        for (View once : decodeAll(root, truncatedStart)) {
            assertMapsInto(once, text.length);
            // One level deeper, as the scanner does for base64 inside JSON strings and the like.
            for (View twice : decodeAll(once, false)) {
                assertMapsInto(twice, text.length);
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void genericRuleMatchedByHandAsByItsRegex(FuzzedDataProvider data) {
        int at = data.consumeInt(0, 64);
        int cut = data.consumeInt(0, 400);
        String input = data.consumeRemainingAsString();
        if (at > input.length()) {
            return;
        }
        char[] text = input.toCharArray();
        int to = Math.min(text.length, at + cut);
        java.util.regex.Matcher m = GENERIC.matcher(input);
        m.region(at, to);
        m.useTransparentBounds(true);
        m.useAnchoringBounds(false);
        int[] out = new int[3];
        boolean expected = m.lookingAt();
        assertThat(GenericAssignmentMatch.lookingAt(text, at, to, text.length, out)).isEqualTo(expected);
        if (expected) {
            assertThat(out).containsExactly(m.end(), m.start(2), m.end(2));
        }
    }

    @FuzzTest(maxDuration = "5m")
    void decodedViewsReusePrefilterHitsExactly(FuzzedDataProvider data) {
        int from = data.consumeInt(0, 1 << 16);
        int to = data.consumeInt(0, 1 << 16);
        char[] text = data.consumeRemainingAsString().toCharArray();
        from = Math.min(from, text.length);
        to = Math.max(from, Math.min(to, text.length));
        ChunkScanner scanner = new ChunkScanner(COMPILED, SETTINGS, "fuzz", null);
        Scratch scratch = new Scratch(SETTINGS.decodeDepth);
        View root = View.root(text, text.length);
        assertSameHits(scanner.prefilter(root, from, to), root, from, to);
        for (int first = 0; first < 2; first++) {
            View once = first == 0 ? JsonStringDecoder.decode(root, scratch) : PercentDecoder.decode(root, scratch);
            if (once == null) {
                continue;
            }
            assertSameHits(scanner.prefilter(once, 0, once.length), once, 0, once.length);
            // the second level reuses the first's hits, which are overwritten by the next sibling: go depth first
            for (int second = 0; second < 2; second++) {
                View twice = second == 0 ? JsonStringDecoder.decode(once, scratch) : PercentDecoder.decode(once, scratch);
                if (twice != null) {
                    assertSameHits(scanner.prefilter(twice, 0, twice.length), twice, 0, twice.length);
                }
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void decodersEqualTheirPlainVersions(FuzzedDataProvider data) {
        boolean truncatedStart = data.consumeBoolean();
        char[] text = data.consumeRemainingAsString().toCharArray();
        View root = View.root(text, text.length);
        for (int d = 0; d < 2; d++) {
            View fast = d == 0 ? JsonStringDecoder.decode(root, new Scratch(1)) : PercentDecoder.decode(root, new Scratch(1));
            View plain = d == 0 ? PlainDecoders.json(root) : PlainDecoders.percent(root);
            if (plain == null) {
                assertThat(fast).isNull();
                continue;
            }
            assertThat(new String(fast.text, 0, fast.length)).isEqualTo(new String(plain.text, 0, plain.length));
            assertThat(fast.changedPositions()).containsExactly(plain.changedPositions());
            for (int i = 0; i <= fast.length; i++) {
                assertThat(fast.parentStart(i)).isEqualTo(PlainDecoders.lastStarts[i]);
            }
        }
        List<View> fast = new ArrayList<>();
        Base64Decoder.decode(root, truncatedStart, fast);
        List<View> plain = new ArrayList<>();
        PlainDecoders.base64(root, truncatedStart, plain);
        assertThat(fast).hasSameSizeAs(plain);
        for (int i = 0; i < fast.size(); i++) {
            assertThat(new String(fast.get(i).text, 0, fast.get(i).length))
                    .isEqualTo(new String(plain.get(i).text, 0, plain.get(i).length));
        }
    }

    @FuzzTest(maxDuration = "5m")
    void genericPrecheckNeverRefusesAMatch(FuzzedDataProvider data) {
        char[] text = data.consumeRemainingAsString().toCharArray();
        String s = new String(text);
        COMPILED.automaton.scan(text, 0, text.length, (pattern, end) -> {
            for (int r : COMPILED.rulesByPattern[pattern]) {
                if (!COMPILED.assignmentPrecheck[r] || AssignmentPrecheck.operatorMayFollow(text, end, text.length)) {
                    continue;
                }
                int start = end - COMPILED.automaton.patternLength(pattern);
                java.util.regex.Matcher m = GENERIC.matcher(s);
                m.region(start, Math.min(text.length, start + COMPILED.maxLength[r]));
                m.useTransparentBounds(true);
                m.useAnchoringBounds(false);
                assertThat(m.lookingAt()).as("refused at %d", start).isFalse();
            }
        });
    }

    @FuzzTest(maxDuration = "5m")
    void jsonLineParsesOrSaysNo(FuzzedDataProvider data) {
        char[] line = data.consumeRemainingAsString().toCharArray();
        Object value = JsonLine.parse(line, 0, line.length);
        assertStringsInside(value, line.length, 0);
    }

    @FuzzTest(maxDuration = "5m")
    void eventLinesReadInPlaceAsParsed(FuzzedDataProvider data) {
        char[] line = data.consumeRemainingAsString().toCharArray();
        LaneOps fast = new LaneOps();
        LaneOps parsed = new LaneOps();
        StreamEvents.readParsed(line, 0, line.length, parsed);
        if (new StreamEvents().read(line, 0, line.length, fast)) {
            assertThat(fast.describe()).isEqualTo(parsed.describe());
        } else {
            assertThat(fast.size).isZero();
        }
    }

    @FuzzTest(maxDuration = "5m")
    void streamsOfModelOutputScanWithoutFailing(FuzzedDataProvider data) {
        StringBuilder in = new StringBuilder();
        while (data.remainingBytes() > 0) {
            String piece = data.consumeString(200);
            switch (data.consumeInt(0, 4)) {
                case 0 -> in.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece).append("\"}}]}\n");
                case 1 -> in.append("{\"type\":\"content_block_delta\",\"index\":").append(data.consumeInt(0, 20))
                        .append(",\"delta\":{\"type\":\"text_delta\",\"text\":\"").append(piece).append("\"}}\n");
                case 2 -> in.append("{\"type\":\"response.output_text.delta\",\"delta\":\"").append(piece).append("\"}\n");
                case 3 -> in.append("data: [DONE]\n").append(piece);
                default -> in.append(piece);
            }
        }
        String text = in.toString();
        ScanResult result = SCANNER.scan(text, "fuzz.jsonl");
        for (Finding f : result.findings()) {
            assertThat(f.offset()).isBetween(0L, (long) text.length());
            assertThat(f.line()).isPositive();
            assertThat(f.endLine()).isGreaterThanOrEqualTo(f.line());
        }
    }

    /** Every view the decoders make of {@code v}; each contiguous decoder gets scratch buffers of its own. */
    private static void assertSameHits(PrefilterHits actual, View v, int from, int to) {
        PrefilterHits full = new PrefilterHits(COMPILED.automatonWithEscapes);
        full.clear(from, to);
        COMPILED.automatonWithEscapes.scanOne(v.text, from, to, full);
        assertThat(java.util.Arrays.copyOf(actual.keys, actual.size)).containsExactly(java.util.Arrays.copyOf(full.keys, full.size));
    }

    private static List<View> decodeAll(View v, boolean truncatedStart) {
        List<View> out = new ArrayList<>();
        View percent = PercentDecoder.decode(v, new Scratch(4));
        if (percent != null) {
            out.add(percent);
        }
        View json = JsonStringDecoder.decode(v, new Scratch(4));
        if (json != null) {
            out.add(json);
        }
        Base64Decoder.decode(v, truncatedStart, out);
        return out;
    }

    private static void assertMapsInto(View v, int inputLength) {
        assertThat(v.length).isNotNegative().isLessThanOrEqualTo(v.text.length);
        for (int i = 0; i < v.length; i++) {
            int[] range = v.toSegment(i, i + 1);
            assertThat(range[0]).as("start of char %d of a %s view", i, v.chain()).isBetween(0, inputLength - 1);
            assertThat(range[1]).as("end of char %d of a %s view", i, v.chain()).isBetween(range[0] + 1, inputLength);
        }
        if (v.length > 0) {
            int[] all = v.toSegment(0, v.length);
            assertThat(all[0]).isBetween(0, inputLength - 1);
            assertThat(all[1]).isBetween(all[0] + 1, inputLength);
        }
    }

    private static void assertStringsInside(Object value, int length, int depth) {
        assertThat(depth).isLessThanOrEqualTo(66);
        if (value instanceof JsonLine.Str s) {
            assertThat(s.start).isBetween(0, length);
            assertThat(s.end).isBetween(s.start, length);
            s.forEachChar((c, at, width) -> {
                assertThat(at).isBetween(s.start, s.end - 1);
                assertThat(at + width).isLessThanOrEqualTo(s.end);
            });
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> assertStringsInside(v, length, depth + 1));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> assertStringsInside(v, length, depth + 1));
        }
    }
}

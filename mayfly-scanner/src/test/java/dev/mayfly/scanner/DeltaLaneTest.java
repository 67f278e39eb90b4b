package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A lane fed in bulk ({@link DeltaReassembler#appendString}, {@link DeltaLane#appendRun}) against one fed
 * a character at a time as {@link JsonLine.Str#forEachChar} decodes them: the same characters, each mapped
 * to the same input offset, width, line and column, the same flushes (small windows here, so they happen
 * mid-string) and the same findings.
 */
class DeltaLaneTest {
    private static final CompiledRules COMPILED = new CompiledRules(dev.mayfly.scanner.rules.BuiltinRules.all());
    private static final Settings SETTINGS = new Settings(SecretScanner.builder());
    private static final String[] PIECES = {
        "\\\"", "\\\\", "\\n", "\\t", "\\/", "\\u00e9", "\\u0041", "\\uD83D\\uDE00", "é", "日", " ", "=",
        Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 3), "Bearer ", "\\u006dfy_",
    };

    @Test
    void a_lane_fed_in_bulk_is_the_lane_fed_a_character_at_a_time() {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int chunk = 1 + random.nextInt(120);
            // mostly windows smaller than the strings fed (flushes mid-run); some as large as a scan's
            int overlap = random.nextInt(4) == 0 ? COMPILED.overlap : random.nextInt(64);
            List<String> bulkFindings = new ArrayList<>();
            List<String> plainFindings = new ArrayList<>();
            DeltaLane bulk = new DeltaLane(scanner(bulkFindings), chunk, overlap);
            DeltaLane plain = new DeltaLane(scanner(plainFindings), chunk, overlap);
            long lineStart = random.nextInt(1000);
            int lineNo = 1;
            int strings = 1 + random.nextInt(30);
            for (int k = 0; k < strings; k++) {
                String prefix = "x".repeat(random.nextInt(5)) + "\"";
                String line = prefix + content(random) + "\"";
                char[] l = line.toCharArray();
                int start = prefix.length();
                int end = l.length - 1;
                DeltaReassembler.appendString(bulk, l, start, end, lineStart, lineNo);
                long ls = lineStart;
                int no = lineNo;
                new JsonLine.Str(l, start, end).forEachChar((c, at, w) -> plain.append(c, ls + at, w, no, at + 1));
                assertSame(bulk, plain);
                if (random.nextInt(8) == 0) {
                    // as a stream's end does (a partial flush comes only from a full window)
                    bulk.flush(true);
                    plain.flush(true);
                    assertSame(bulk, plain);
                }
                lineStart += l.length + 1;
                lineNo++;
            }
            bulk.flush(true);
            plain.flush(true);
            assertThat(bulkFindings).isEqualTo(plainFindings);
        }
    }

    @Test
    void a_run_longer_than_the_window_flushes_where_single_characters_would() {
        List<String> bulkFindings = new ArrayList<>();
        List<String> plainFindings = new ArrayList<>();
        DeltaLane bulk = new DeltaLane(scanner(bulkFindings), 10, COMPILED.overlap);
        DeltaLane plain = new DeltaLane(scanner(plainFindings), 10, COMPILED.overlap);
        char[] text = ("pad " + Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 9) + " and more text after it".repeat(COMPILED.overlap / 5)).toCharArray();
        bulk.appendRun(text, 0, text.length, 100, 7, 5);
        for (int i = 0; i < text.length; i++) {
            plain.append(text[i], 100 + i, 1, 7, 5 + i);
        }
        assertSame(bulk, plain);
        bulk.flush(true);
        plain.flush(true);
        assertThat(bulkFindings).hasSize(1).isEqualTo(plainFindings);
    }

    private static String content(Random random) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            if (random.nextBoolean()) {
                sb.append(PIECES[random.nextInt(PIECES.length)]);
            } else {
                sb.append("abcdefghij", 0, random.nextInt(10));
            }
        }
        return sb.toString();
    }

    private static void assertSame(DeltaLane bulk, DeltaLane plain) {
        assertThat(bulk.length).isEqualTo(plain.length);
        assertThat(bulk.ownStart).isEqualTo(plain.ownStart);
        assertThat(bulk.pending()).isEqualTo(plain.pending());
        assertThat(bulk.truncatedStart()).isEqualTo(plain.truncatedStart());
        assertThat(new String(bulk.text, 0, bulk.length)).isEqualTo(new String(plain.text, 0, plain.length));
        for (int i = 0; i < bulk.length; i++) {
            assertThat(bulk.inputStart(i)).isEqualTo(plain.inputStart(i));
            assertThat(bulk.line(i)).isEqualTo(plain.line(i));
            assertThat(bulk.column(i)).isEqualTo(plain.column(i));
        }
        assertThat(bulk.spans(0, bulk.length)).isEqualTo(plain.spans(0, plain.length));
    }

    private static ChunkScanner scanner(List<String> findings) {
        return new ChunkScanner(COMPILED, SETTINGS, "lane", new ScanListener() {
            @Override
            public void finding(Finding finding) {
                findings.add(finding.toString() + "@" + finding.offset() + ":" + finding.line() + ":"
                        + finding.column() + "-" + finding.endLine() + ":" + finding.endColumn());
            }
        });
    }
}

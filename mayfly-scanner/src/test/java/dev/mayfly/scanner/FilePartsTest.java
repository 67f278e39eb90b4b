package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file scanned as parts ({@link FileParts}) gives what one whole-file scan gives: the same findings at
 * the same offsets, lines and columns, each once, whatever the order the parts run in, with secrets
 * across every cut, in lead-ins holding multi-byte characters and malformed bytes, in PEM blocks and in
 * streamed deltas whose stream runs across cuts.
 */
class FilePartsTest {
    private static final String RT = Fixtures.mayfly(SecretKind.REFRESH_TOKEN, 31);
    private static final String PEM = Fixtures.pem("PRIVATE KEY", Fixtures.derSequence(1214, 32));

    @TempDir
    Path dir;

    /** Small windows and small parts, so a short file has many of both. */
    private final SecretScanner scanner = SecretScanner.builder().chunkSize(4096).build();
    private final SecretScanner explaining = SecretScanner.builder().chunkSize(4096).explain(true).build();

    @Test
    void a_token_at_every_position_around_a_cut_is_found_once_where_a_whole_scan_finds_it() throws Exception {
        StringBuilder text = new StringBuilder();
        Random random = new Random(1);
        int n = 0;
        while (text.length() < 300_000) {
            // lines of varied length, a token every few lines, at every column near the cuts
            text.append("2026-12-07 INFO req=").append(random.nextInt(1_000_000)).append(" é∑ path=/v1/x ");
            if (n++ % 7 == 0) {
                text.append("token=").append(Fixtures.mayfly(SecretKind.REFRESH_TOKEN, n)).append(' ');
            }
            text.append("x".repeat(random.nextInt(120))).append('\n');
        }
        Path file = write("app.log", text.toString().getBytes(StandardCharsets.UTF_8));
        for (long partBytes : new long[] {20_000, 33_333, 100_000}) {
            assertSameAsWholeScan(scanner, file, partBytes);
        }
    }

    @Test
    void pem_blocks_json_escapes_base64_and_urls_across_cuts() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200_000; i++) {
            text.append("{\"msg\":\"step ").append(i).append("\",\"out\":\"");
            switch (i % 5) {
                case 0:
                    text.append(Fixtures.jsonEscape("key:\n" + PEM));
                    break;
                case 1:
                    text.append("Authorization: Basic ").append(Fixtures.b64("admin:" + RT));
                    break;
                case 2:
                    text.append("\\u006d").append(RT.substring(1));
                    break;
                case 3:
                    text.append("postgres://app:p%40ss").append(i).append("w0rd-Zq9@db:5432/x");
                    break;
                default:
                    text.append("nothing here ").append("y".repeat(i % 300));
                    break;
            }
            text.append("\"}\n");
            if (i % 11 == 0) {
                text.append(PEM).append('\n'); // a multi-line block, cut anywhere
            }
        }
        Path file = write("session.jsonl", text.toString().getBytes(StandardCharsets.UTF_8));
        for (long partBytes : new long[] {8192, 40_000}) {
            assertSameAsWholeScan(scanner, file, partBytes);
            assertSameAsWholeScan(explaining, file, partBytes);
        }
    }

    @Test
    void a_stream_whose_deltas_run_across_cuts_is_reassembled_once() throws Exception {
        StringBuilder sse = new StringBuilder();
        for (int s = 0; sse.length() < 200_000; s++) {
            String secret = Fixtures.mayfly(SecretKind.CLIENT_SECRET, 100 + s);
            List<String> pieces = LlmStreamTest.split("here: " + secret + " done " + "z".repeat(s % 50), 5, 9, 14, 20, 31);
            for (String p : pieces) {
                sse.append(LlmStreamTest.openAiChunk(p));
                sse.append("data: {\"note\":\"").append("filler ".repeat(s % 40)).append("\"}\n\n");
            }
            sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
        }
        Path file = write("stream.sse", sse.toString().getBytes(StandardCharsets.UTF_8));
        ScanResult whole = assertSameAsWholeScan(scanner, file, 10_000);
        assertThat(whole.findings()).anySatisfy(f -> assertThat(f.decodedFrom()).containsExactly(Decoding.LLM_STREAM));
    }

    @Test
    void malformed_bytes_a_missing_last_newline_and_a_line_too_long_to_cut() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Random random = new Random(7);
        for (int i = 0; out.size() < 150_000; i++) {
            out.writeBytes(("line " + i + " secret=" + RT + " ").getBytes(StandardCharsets.UTF_8));
            if (i % 3 == 0) {
                out.write(0xE2); // a multi-byte character cut short
                out.write(0x82);
            }
            if (i % 5 == 0) {
                out.write(0x80); // a stray continuation byte, maybe at a lead-in's start
            }
            out.writeBytes("ü".repeat(random.nextInt(40)).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        // one line longer than a part: it stays in one part
        out.writeBytes(("{\"dump\":\"" + "a".repeat(200_000) + " " + RT + "\"}").getBytes(StandardCharsets.UTF_8));
        Path file = write("mixed.bin", out.toByteArray());
        for (long partBytes : new long[] {9_000, 50_000}) {
            assertSameAsWholeScan(scanner, file, partBytes);
        }
    }

    @Test
    void a_file_smaller_than_a_part_is_one_task_and_path_rules_are_reported_once() throws Exception {
        Path file = write("id_rsa", ("just a key file\n" + PEM + "\n").getBytes(StandardCharsets.UTF_8));
        FileParts parts = scanner.parts(file, file.toString(), 1 << 20);
        assertThat(parts.tasks().stream().filter(t -> !t.streamsOnly())).hasSize(1);
        assertSameAsWholeScan(scanner, file, 1 << 20);

        Path big = write("id_ed25519", ("k=v\n".repeat(50_000) + PEM + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(scanner.parts(big, big.toString(), 20_000).tasks()).hasSizeGreaterThan(5);
        assertSameAsWholeScan(scanner, big, 20_000);
    }

    private ScanResult assertSameAsWholeScan(SecretScanner s, Path file, long partBytes) throws Exception {
        ScanResult whole = s.scan(file);
        FileParts parts = s.parts(file, file.toString(), partBytes);
        List<FileParts.Task> tasks = new ArrayList<>(parts.tasks());
        Collections.reverse(tasks); // any order, on any thread
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (FileParts.Task t : tasks) {
                done.add(pool.submit(t));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        ScanResult split = parts.result();
        assertThat(describe(split.findings())).as("findings of %s in parts of %d bytes", file.getFileName(), partBytes)
                .isEqualTo(describe(whole.findings()));
        assertThat(split.suppressed().stream().map(x -> describe(List.of(x.candidate())) + x.reason())
                .collect(Collectors.toList()))
                .isEqualTo(whole.suppressed().stream().map(x -> describe(List.of(x.candidate())) + x.reason())
                        .collect(Collectors.toList()));
        assertThat(split.warnings().size()).isEqualTo(whole.warnings().size());
        assertThat(split.chars()).isEqualTo(whole.chars());
        assertThat(whole.findings()).isNotEmpty();
        return whole;
    }

    /** Everything a report shows of a finding, and where its characters came from. */
    private static String describe(List<Finding> findings) {
        StringBuilder b = new StringBuilder();
        for (Finding f : findings) {
            b.append(f.ruleId()).append(' ').append(f.source()).append(' ').append(f.offset()).append(' ')
                    .append(f.line()).append(':').append(f.column()).append('-').append(f.endLine()).append(':')
                    .append(f.endColumn()).append(' ').append(f.fingerprint()).append(' ').append(f.redacted())
                    .append(' ').append(f.decodedFrom()).append(' ').append(java.util.Arrays.toString(f.spans()))
                    .append('\n');
        }
        return b.toString();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}

package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file is read through its channel in large blocks; what the scan sees must be exactly what a stream of
 * the same bytes gives, malformed UTF-8 (replaced) and characters cut across read blocks included.
 */
class FileInputTest {
    @TempDir
    Path dir;

    @Test
    void a_file_scans_exactly_like_a_stream_of_its_bytes() throws Exception {
        Random random = new Random(7);
        SecretScanner scanner = SecretScanner.builder().chunkSize(64 * 1024).build();
        for (int round = 0; round < 12; round++) {
            byte[] bytes = mixedBytes(random, 100_000 + random.nextInt(400_000));
            Path file = dir.resolve("input-" + round + ".log");
            Files.write(file, bytes);

            ScanResult fromFile = scanner.scan(file);
            ScanResult fromStream = scanner.scan(new ByteArrayInputStream(bytes), file.toString());

            assertThat(fromFile.chars()).isEqualTo(fromStream.chars());
            assertThat(describe(fromFile)).isNotEmpty().containsExactlyElementsOf(describe(fromStream));
        }
    }

    /** Log text with secrets, multi-byte characters (some cut short or invalid) and stray bytes. */
    private static byte[] mixedBytes(Random random, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int k = 0;
        while (out.size() < size) {
            switch (random.nextInt(6)) {
                case 0:
                    write(out, "client_secret=" + Fixtures.mayfly(SecretKind.CLIENT_SECRET, k++) + "\n");
                    break;
                case 1:
                    write(out, "caf\u00e9 \u65e5\u672c \ud83d\ude00 ");
                    break;
                case 2:
                    out.write(0xE6); // the first byte of a three-byte sequence, cut short
                    out.write('x');
                    break;
                case 3:
                    out.write(0x80 | random.nextInt(64)); // a continuation byte on its own
                    break;
                case 4:
                    out.write(0xF0 | random.nextInt(16)); // a four-byte lead (or worse) before ASCII
                    write(out, "token");
                    break;
                default:
                    write(out, "INFO handled GET /api/v2/orders status=200 " + random.nextInt(1000) + "\n");
            }
        }
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> describe(ScanResult r) {
        return r.findings().stream()
                .map(f -> f.ruleId() + " " + f.fingerprint() + " " + f.offset() + " " + f.line() + ":" + f.column())
                .collect(Collectors.toList());
    }
}

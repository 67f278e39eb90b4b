package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mayfly.core.secret.SecretKind;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An 8 MB single-line JSON document is ordinary input: streamed, never held whole. */
class LargeInputTest {
    private static final int SIZE = 8 * 1024 * 1024;

    @Test
    void finds_a_secret_near_the_end_of_an_8_mb_single_line_json() throws Exception {
        String token = Fixtures.mayfly(SecretKind.CLIENT_SECRET, 99);
        String tail = "{\"name\":\"agent\",\"client_secret\":\"" + token + "\"}]}";
        GeneratedJson in = new GeneratedJson(SIZE, tail);

        ScanResult result = SecretScanner.create().scan(in, "memory.json");

        long expected = in.tailOffset() + tail.indexOf(token);
        assertThat(expected).isGreaterThan(SIZE - 200);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.isMayfly()).isTrue();
            assertThat(f.line()).isEqualTo(1);
            assertThat(f.column()).isEqualTo(expected + 1);
            assertThat(f.offset()).isEqualTo(expected);
        });
        assertThat(result.chars()).isGreaterThanOrEqualTo(SIZE);
    }

    /** Produces {@code {"items":[{...},{...},...TAIL} on one line (ASCII), generated as it is read. */
    static final class GeneratedJson extends InputStream {
        private final Random random = new Random(42);
        private final byte[] tail;
        private final int size;
        private byte[] chunk = "{\"items\":[".getBytes(StandardCharsets.US_ASCII);
        private int pos;
        private long produced;
        private long tailOffset = -1;

        GeneratedJson(int size, String tail) {
            this.tail = tail.getBytes(StandardCharsets.US_ASCII);
            this.size = size;
        }

        /** Where the tail started; known once it has been read. */
        long tailOffset() {
            return tailOffset;
        }

        private boolean advance() {
            if (tailOffset >= 0) {
                return false;
            }
            produced += chunk.length;
            if (produced + tail.length >= size) {
                tailOffset = produced;
                chunk = tail;
            } else {
                chunk = ("{\"id\":\"item-" + random.nextInt(1_000_000) + "\",\"score\":" + random.nextDouble()
                        + ",\"tags\":[\"a\",\"b\"],\"note\":\"nothing to see here\"},")
                        .getBytes(StandardCharsets.US_ASCII);
            }
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == chunk.length && !advance()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}

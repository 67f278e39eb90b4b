package dev.mayfly.scanner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Utf8Reader} gives exactly the characters {@link InputStreamReader} gives, malformed input
 * included, whatever the sizes of the reads asked for and of the reads its source answers.
 */
class Utf8ReaderTest {
    /** Bytes from pieces that stress the decoder: ASCII, every sequence length, truncated and stray bytes. */
    private static byte[] input(Random random, int pieces) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[][] shapes = {
            "plain ascii text ".getBytes(StandardCharsets.UTF_8), "é".getBytes(StandardCharsets.UTF_8),
            "∑".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xF0, (byte) 0x9F}, {(byte) 0xC0, (byte) 0x80},
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {'\n'}, {0},
        };
        for (int i = 0; i < pieces; i++) {
            byte[] s = shapes[random.nextInt(shapes.length)];
            out.write(s, 0, s.length);
            if (random.nextInt(10) == 0) {
                byte[] junk = new byte[random.nextInt(6)];
                random.nextBytes(junk);
                out.write(junk, 0, junk.length);
            }
        }
        return out.toByteArray();
    }

    /** A source that answers with short reads of random sizes. */
    private static InputStream choppy(byte[] b, Random random) {
        return new ByteArrayInputStream(b) {
            @Override
            public synchronized int read(byte[] buf, int off, int len) {
                return super.read(buf, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    private static String readAll(Reader r, Random random, int maxRead) throws IOException {
        StringBuilder sb = new StringBuilder();
        char[] buf = new char[maxRead];
        while (true) {
            int n = r.read(buf, 0, 1 + random.nextInt(maxRead));
            if (n < 0) {
                return sb.toString();
            }
            sb.append(buf, 0, n);
        }
    }

    @Test
    void sameCharactersAsInputStreamReaderOnRandomUtf8AndMalformedBytes() throws IOException {
        for (int seed = 0; seed < 400; seed++) {
            Random random = new Random(seed);
            byte[] b = input(random, 20 + random.nextInt(seed < 300 ? 200 : 30_000));
            java.io.StringWriter w = new java.io.StringWriter();
            new InputStreamReader(new ByteArrayInputStream(b), StandardCharsets.UTF_8).transferTo(w);
            String expected = w.toString();
            int maxRead = seed % 3 == 0 ? 1 : seed % 3 == 1 ? 3 : 100_000;
            String fromStream = readAll(new Utf8Reader(choppy(b, random)), random, maxRead);
            String fromChannel = readAll(new Utf8Reader(Channels.newChannel(new ByteArrayInputStream(b))), random, maxRead);
            assertThat(fromStream).as("seed %d from a stream", seed).isEqualTo(expected);
            assertThat(fromChannel).as("seed %d from a channel", seed).isEqualTo(expected);
        }
    }

    @Test
    void aLongNonAsciiStretchLongerThanTheBuffer() throws IOException {
        byte[] b = "ü".repeat(100_000).concat("x").getBytes(StandardCharsets.UTF_8);
        b[b.length - 2] = (byte) 0xC3; // end on a cut sequence before the last ASCII byte
        String expected = new String(b, StandardCharsets.UTF_8);
        assertThat(readAll(new Utf8Reader(new ByteArrayInputStream(b)), new Random(1), 70_000)).isEqualTo(expected);
    }
}

package dev.mayfly.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 bytes as characters, malformed input replaced exactly as {@link java.io.InputStreamReader} does,
 * with ASCII converted by a plain loop. The JDK's decoder reaches ASCII through two array passes that are
 * intrinsics under C2 but plain loops under C1, which {@code mayfly scan} runs on (mayfly-cli/bin/mayfly):
 * there they were a seventh of a scan's CPU. Everything from a non-ASCII byte up to and including the next
 * ASCII byte goes to the JDK's decoder (an ASCII byte ends every sequence, valid or not, so the decoder
 * sees each sequence whole, with the byte after it, and holds no state across calls); a stretch that
 * reaches the end of the buffer waits for more bytes. Not thread-safe; does not close its source.
 */
final class Utf8Reader extends Reader {
    private static final int BUFFER = 64 * 1024;

    private final ReadableByteChannel channel;
    private final InputStream stream;
    private final byte[] bytes = new byte[BUFFER];
    private final ByteBuffer wrapped = ByteBuffer.wrap(bytes);
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
    /** Bytes {@code [pos, limit)} are read and not yet converted. */
    private int pos;
    private int limit;
    private boolean eof;
    private final char[] pair = new char[2];
    /** A char read but not yet returned (the second of a pair read for a one-char read), or -1. */
    private int pending = -1;

    Utf8Reader(ReadableByteChannel channel) {
        this.channel = channel;
        this.stream = null;
    }

    Utf8Reader(InputStream stream) {
        this.channel = null;
        this.stream = stream;
    }

    @Override
    public int read(char[] out, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending >= 0) {
            out[off] = (char) pending;
            pending = -1;
            return 1;
        }
        if (len == 1) {
            // a surrogate pair needs room for two: read two, keep the second
            int n = read(pair, 0, 2);
            if (n == 2) {
                pending = pair[1];
            }
            if (n > 0) {
                out[off] = pair[0];
            }
            return n < 0 ? -1 : 1;
        }
        while (true) {
            if (pos < limit) {
                int n = convert(out, off, len);
                if (n > 0) {
                    return n;
                }
            }
            if (eof) {
                return pos < limit ? decodeRest(out, off, len) : -1;
            }
            if (pos == 0 && limit == bytes.length) {
                throw new IllegalStateException("UTF-8 decoder made no progress"); // cannot happen: see convert
            }
            fill();
        }
    }

    /** Converts from {@code pos}: an ASCII run by hand, or a non-ASCII stretch and the ASCII byte after it. */
    private int convert(char[] out, int off, int len) {
        byte[] b = bytes;
        int p = pos;
        int end = p + Math.min(len, limit - p);
        int o = off;
        while (p < end && b[p] >= 0) {
            out[o++] = (char) b[p++];
        }
        if (o > off) {
            pos = p;
            return o - off;
        }
        int ascii = p;
        while (ascii < limit && b[ascii] < 0) {
            ascii++;
        }
        // With the ASCII byte after the stretch when it is here; without it, the decoder leaves a sequence
        // it cannot yet judge for the next call (0 chars: more bytes are needed).
        return decode(out, off, len, ascii < limit ? ascii + 1 : limit, false);
    }

    /** At the end of input: what is left is a non-ASCII stretch, decoded with the end of input. */
    private int decodeRest(char[] out, int off, int len) {
        return decode(out, off, len, limit, true);
    }

    private int decode(char[] out, int off, int len, int stop, boolean endOfInput) {
        wrapped.limit(stop).position(pos);
        CharBuffer target = CharBuffer.wrap(out, off, len);
        decoder.reset();
        decoder.decode(wrapped, target, endOfInput);
        if (endOfInput && !wrapped.hasRemaining()) {
            decoder.flush(target);
        }
        pos = wrapped.position();
        wrapped.limit(bytes.length);
        return target.position() - off;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(bytes, pos, bytes, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n;
        if (channel != null) {
            wrapped.limit(bytes.length).position(limit);
            n = channel.read(wrapped);
            wrapped.clear();
        } else {
            n = stream.read(bytes, limit, bytes.length - limit);
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public void close() {
        // the source belongs to the caller
    }
}

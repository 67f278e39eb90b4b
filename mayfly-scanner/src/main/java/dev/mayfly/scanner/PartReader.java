package dev.mayfly.scanner;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;

/**
 * The characters of one part of a file ({@link FileParts}) as three byte ranges read one after the other:
 * the lead-in before the part, the part, and the tail after it, each decoded as UTF-8 on its own (malformed
 * bytes replaced, as a whole-file scan does; the part's ends lie just after a newline, where a decoder has
 * no state, so its characters are exactly those a whole-file read gives). Counts the characters and
 * newlines of each range as they pass, so the scan knows where the part ends and the combined result can
 * move the part's positions into the file's. One read never crosses a range. Not thread-safe.
 */
final class PartReader extends Reader {
    static final int LEAD = 0;
    static final int OWN = 1;
    static final int TAIL = 2;

    private final FileChannel channel;
    /** Byte offsets: lead-in start, part start, part end, tail end. */
    private final long[] bounds;
    private final long[] chars = new long[3];
    private final long[] newlines = new long[3];
    private int range;
    private Reader current;

    PartReader(FileChannel channel, long leadStart, long from, long to, long tailEnd) {
        this.channel = channel;
        this.bounds = new long[] {leadStart, from, to, tailEnd};
    }

    /** Characters of the lead-in and the part, once the part has been read whole; {@link Long#MAX_VALUE} before. */
    long ownLimit() {
        return range > OWN ? chars[LEAD] + chars[OWN] : Long.MAX_VALUE;
    }

    long chars(int which) {
        return chars[which];
    }

    long newlines(int which) {
        return newlines[which];
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        while (range <= TAIL) {
            if (current == null) {
                current = new Utf8Reader(new Range(channel, bounds[range], bounds[range + 1]));
            }
            int n = current.read(buf, off, len);
            if (n > 0) {
                chars[range] += n;
                newlines[range] += Newlines.count(buf, off, off + n);
                return n;
            }
            if (n < 0) {
                current = null;
                range++;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        // the channel belongs to the caller
    }

    /** Bytes {@code [position, end)} of a file channel, by positional reads (the channel is not moved). */
    private static final class Range implements ReadableByteChannel {
        private final FileChannel channel;
        private long position;
        private final long end;

        Range(FileChannel channel, long position, long end) {
            this.channel = channel;
            this.position = position;
            this.end = end;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (position >= end) {
                return -1;
            }
            int room = (int) Math.min(dst.remaining(), end - position);
            ByteBuffer slice = dst.slice();
            slice.limit(room);
            int n = channel.read(slice, position);
            if (n < 0) {
                return -1; // the file shrank
            }
            dst.position(dst.position() + n);
            position += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}

package dev.mayfly.scanner;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Scans one input in overlapping windows of {@code chunk + 2 * overlap} characters: each window owns
 * {@code chunk} characters and sees {@code overlap} more on each side, so a secret across a window
 * boundary is seen whole and reported by exactly one window. Memory stays bounded whatever the line
 * length. Input characters also feed the LLM-stream reassembler. One per input; not thread-safe.
 */
final class StreamScan {
    private static final int INITIAL_BUFFER = 8192;

    private final CompiledRules compiled;
    private final Settings settings;
    private final ScanListener listener;
    private final ChunkScanner scanner;
    private final DeltaReassembler reassembler;
    private long chars;

    StreamScan(CompiledRules compiled, Settings settings, String source, ScanListener listener) {
        this.compiled = compiled;
        this.settings = settings;
        this.listener = listener;
        this.scanner = new ChunkScanner(compiled, settings, source, listener);
        this.reassembler = settings.decodes(Decoding.LLM_STREAM)
                ? new DeltaReassembler(scanner, compiled.overlap) : null;
    }

    /** Scans until the end of {@code in}; returns the number of characters read. */
    long run(Reader in) throws IOException {
        return run(in, INITIAL_BUFFER);
    }

    /** As {@link #run(Reader)}, for input of about {@code expectedLength} characters (sizes the first buffer). */
    long run(Reader in, int expectedLength) throws IOException {
        scanner.reportPathRules();
        return run(in, expectedLength, () -> 0, () -> Long.MAX_VALUE, false);
    }

    /**
     * Scans one part of a larger input ({@link FileParts}): the reader's lead-in is context before the
     * part (seen, not owned), and nothing from the end of the part on is owned; the characters after it
     * are read only as the last window's overlap. No stream reassembly and no path rules: the file's
     * other tasks do those once. {@code midInput}: the lead-in does not start at the file's start. Returns
     * the characters read.
     */
    long runPart(PartReader in, boolean midInput) throws IOException {
        return run(in, INITIAL_BUFFER, () -> in.chars(PartReader.LEAD), in::ownLimit, midInput);
    }

    /** Reports the path-only rules that match this input's path (a split file's first part does). */
    void reportPathRules() {
        scanner.reportPathRules();
    }

    /**
     * Feeds the whole of {@code in} to the LLM-stream reassembler alone (the parts of a split file scan the
     * text itself): findings come from the reassembled streams only. Returns the characters read.
     */
    long runStreamsOnly(Reader in) throws IOException {
        char[] buf = new char[64 * 1024];
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                break;
            }
            if (reassembler != null) {
                reassembler.accept(buf, 0, n, chars);
            }
            chars += n;
        }
        if (reassembler != null) {
            reassembler.finish();
        }
        return chars;
    }

    /**
     * {@code leadChars}: how many characters of {@code in} are unowned context before the input proper
     * (asked after each window is read: a part's reader knows once it is past them); {@code ownLimit}: the
     * end of what is owned, {@link Long#MAX_VALUE} while unknown.
     */
    private long run(Reader in, int expectedLength, LongSupplier leadChars, LongSupplier ownLimit, boolean midInput)
            throws IOException {
        DeltaReassembler reassembler = in instanceof PartReader ? null : this.reassembler;
        int overlap = compiled.overlap;
        int full = settings.chunkSize + 2 * overlap;
        // One more than expected, so the end of the input is seen without growing the buffer.
        char[] buf = new char[(int) Math.max(16, Math.min(full, Math.min(INITIAL_BUFFER, expectedLength + 1L)))];
        int len = 0;
        int ownStart = 0;
        boolean eof = false;
        MainSegment segment = new MainSegment(midInput);
        while (true) {
            while (!eof && len < full) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, (int) Math.min(full, buf.length * 2L));
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    eof = true;
                } else if (n > 0) {
                    listener.input(buf, len, n);
                    if (reassembler != null) {
                        reassembler.accept(buf, len, n, segment.base() + len);
                    }
                    len += n;
                    chars += n;
                }
            }
            int ownEnd = eof ? len : len - overlap;
            long limit = ownLimit.getAsLong();
            boolean last = eof;
            if (segment.base() + ownEnd >= limit) {
                // The part ends in this window: what follows is only context.
                ownEnd = (int) (limit - segment.base());
                last = true;
            }
            // A part's lead-in is context: owned from its end on (it may outlast the first window when the
            // windows are small).
            ownStart = (int) Math.min(ownEnd, Math.max(ownStart, leadChars.getAsLong() - segment.base()));
            segment.set(buf, len, ownStart, ownEnd);
            scanner.scan(segment);
            long done = segment.base() + ownEnd;
            listener.committed(reassembler == null ? done : Math.min(done, reassembler.pending()));
            if (last) {
                break;
            }
            int drop = ownEnd - overlap;
            segment.drop(drop);
            System.arraycopy(buf, drop, buf, 0, len - drop);
            len -= drop;
            scanner.carryRootHits(drop, len);
            ownStart = overlap;
        }
        if (reassembler != null) {
            reassembler.finish();
        }
        listener.committed(Long.MAX_VALUE);
        return chars;
    }
}

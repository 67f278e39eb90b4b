package dev.mayfly.scanner;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

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
        int overlap = compiled.overlap;
        int full = settings.chunkSize + 2 * overlap;
        // One more than expected, so the end of the input is seen without growing the buffer.
        char[] buf = new char[(int) Math.max(16, Math.min(full, Math.min(INITIAL_BUFFER, expectedLength + 1L)))];
        int len = 0;
        int ownStart = 0;
        boolean eof = false;
        MainSegment segment = new MainSegment();
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
            segment.set(buf, len, ownStart, ownEnd);
            scanner.scan(segment);
            long done = segment.base() + ownEnd;
            listener.committed(reassembler == null ? done : Math.min(done, reassembler.pending()));
            if (eof) {
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

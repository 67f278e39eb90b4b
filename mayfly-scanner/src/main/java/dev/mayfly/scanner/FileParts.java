package dev.mayfly.scanner;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * One file scanned as parts that can run at once, on as many threads as the caller has: the file is cut
 * just after a newline every {@code partBytes} or so (a file with no newline near a cut stays whole there),
 * and each part is scanned with the text before and after it as unowned context (at least the scanner's
 * window overlap, so a secret across a cut is seen whole by the part that owns its first character, and
 * by no other). When LLM-stream reassembly is on, one more task reads the whole file for the streams alone,
 * since a stream's deltas run across cuts. {@link #result()} then moves each part's findings to file
 * positions (characters and newlines before the part are known only once the parts before it have been
 * read) and drops a stream finding that a part found too (same rule, fingerprint and offset: what one
 * whole-file scan reports once, keeping the one found in the text). The result is that of
 * {@link SecretScanner#scan(Path)} on the file, findings in the same order.
 *
 * <p>Use: run every {@link Task} once, on any threads, in any order; then call {@link #result()}.
 */
public final class FileParts {
    /** Reads as far as this past a planned cut for a newline before giving up on cutting there. */
    private static final int NEWLINE_SEARCH = 1 << 20;

    private final DefaultScanner scanner;
    private final Path file;
    private final String source;
    private final List<Task> tasks = new ArrayList<>();
    private final List<PartTask> parts = new ArrayList<>();
    private StreamsTask streams;

    private FileParts(DefaultScanner scanner, Path file, String source) {
        this.scanner = scanner;
        this.file = file;
        this.source = source;
    }

    static FileParts plan(DefaultScanner scanner, Path file, String source, long partBytes, int overlapChars)
            throws IOException {
        FileParts plan = new FileParts(scanner, file, source);
        // A part's context: at least overlapChars characters on each side, in bytes (UTF-8 takes up to 3
        // bytes per char, 4 per surrogate pair).
        long context = 4L * overlapChars;
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            List<Long> cuts = new ArrayList<>();
            cuts.add(0L);
            long at = 0;
            while (size - at > partBytes + partBytes / 2) {
                long cut = afterNewline(ch, at + partBytes, size);
                if (cut < 0 || size - cut < partBytes / 2) {
                    break;
                }
                cuts.add(cut);
                at = cut;
            }
            cuts.add(size);
            for (int i = 0; i + 1 < cuts.size(); i++) {
                long from = cuts.get(i);
                long to = cuts.get(i + 1);
                long lead = leadStart(ch, Math.max(0, from - context), from);
                PartTask p = plan.new PartTask(i, lead, from, to, Math.min(size, to + context));
                plan.parts.add(p);
                plan.tasks.add(p);
            }
            if (scanner.settings().decodes(Decoding.LLM_STREAM)) {
                plan.streams = plan.new StreamsTask(size);
                plan.tasks.add(plan.streams);
            }
        }
        return plan;
    }

    /** The position just after the first newline at or after {@code from}, or -1 when none is near. */
    private static long afterNewline(FileChannel ch, long from, long size) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long pos = from;
        while (pos < size && pos < from + NEWLINE_SEARCH) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n <= 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (buf.get(i) == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return -1;
    }

    /** {@code start} moved past UTF-8 continuation bytes, so the lead-in starts on a character. */
    private static long leadStart(FileChannel ch, long start, long from) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4);
        long pos = start;
        while (pos < from) {
            buf.clear();
            if (ch.read(buf, pos) <= 0 || (buf.get(0) & 0xC0) != 0x80) {
                break;
            }
            pos++;
        }
        return pos;
    }

    /** The tasks: the parts, in file order, then the streams task when there is one. */
    public List<Task> tasks() {
        return List.copyOf(tasks);
    }

    /** The file's result, once every task has run. */
    public ScanResult result() throws IOException {
        List<Finding> findings = new ArrayList<>();
        List<ScanWarning> warnings = new ArrayList<>();
        List<Suppression> suppressed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        long chars = 0;
        long lines = 0;
        for (PartTask p : parts) {
            if (p.failure != null) {
                throw p.failure;
            }
            if (p.collector == null) {
                throw new IllegalStateException("part " + p.index + " of " + source + " was not scanned");
            }
            long moveChars = chars - p.leadChars;
            int moveLines = (int) Math.min(Integer.MAX_VALUE, lines - p.leadNewlines);
            for (Finding f : p.collector.findings) {
                Finding g = f.shifted(moveChars, moveLines);
                seen.add(key(g));
                findings.add(g);
            }
            for (Suppression x : p.collector.suppressed) {
                Suppression y = x.shifted(moveChars, moveLines);
                seen.add("suppressed:" + key(y.candidate()));
                suppressed.add(y);
            }
            for (ScanWarning w : p.collector.warnings) {
                warnings.add(w.shifted(moveLines));
            }
            chars += p.ownChars;
            lines += p.ownNewlines;
        }
        if (streams != null) {
            if (streams.failure != null) {
                throw streams.failure;
            }
            if (streams.collector == null) {
                throw new IllegalStateException("the streams of " + source + " were not scanned");
            }
            for (Finding f : streams.collector.findings) {
                if (seen.add(key(f))) {
                    findings.add(f);
                }
            }
            for (Suppression x : streams.collector.suppressed) {
                if (seen.add("suppressed:" + key(x.candidate()))) {
                    suppressed.add(x);
                }
            }
            warnings.addAll(streams.collector.warnings);
        }
        return new ScanResult(findings, warnings, suppressed, 1, chars);
    }

    /** What one whole-file scan reports once ({@link FindingCollector}). */
    private static String key(Finding f) {
        return f.ruleId() + ':' + f.fingerprint() + ':' + f.offset();
    }

    /** One unit of work; {@link #bytes()} says roughly how much, for scheduling the largest first. */
    public abstract static class Task implements Callable<Void> {
        IOException failure;
        DefaultScanner.Collector collector;

        /** Bytes this task scans (the streams task only reads most of them). */
        public abstract long bytes();

        /** True for the task that only reassembles LLM streams (cheaper per byte than a part). */
        public abstract boolean streamsOnly();

        @Override
        public final Void call() throws IOException {
            DefaultScanner.Collector c = new DefaultScanner.Collector();
            try {
                run(c);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            collector = c;
            return null;
        }

        abstract void run(DefaultScanner.Collector c) throws IOException;
    }

    private final class PartTask extends Task {
        final int index;
        final long leadStart;
        final long from;
        final long to;
        final long tailEnd;
        long leadChars;
        long leadNewlines;
        long ownChars;
        long ownNewlines;

        PartTask(int index, long leadStart, long from, long to, long tailEnd) {
            this.index = index;
            this.leadStart = leadStart;
            this.from = from;
            this.to = to;
            this.tailEnd = tailEnd;
        }

        @Override
        public long bytes() {
            return to - from;
        }

        @Override
        public boolean streamsOnly() {
            return false;
        }

        @Override
        void run(DefaultScanner.Collector c) throws IOException {
            try (FileChannel ch = FileChannel.open(file)) {
                PartReader in = new PartReader(ch, leadStart, from, to, tailEnd);
                StreamScan scan = scanner.newScan(source, c);
                if (index == 0) {
                    scan.reportPathRules();
                }
                scan.runPart(in, from > 0);
                leadChars = in.chars(PartReader.LEAD);
                leadNewlines = in.newlines(PartReader.LEAD);
                ownChars = in.chars(PartReader.OWN);
                ownNewlines = in.newlines(PartReader.OWN);
            }
        }
    }

    private final class StreamsTask extends Task {
        private final long size;

        StreamsTask(long size) {
            this.size = size;
        }

        @Override
        public long bytes() {
            return size;
        }

        @Override
        public boolean streamsOnly() {
            return true;
        }

        @Override
        void run(DefaultScanner.Collector c) throws IOException {
            try (FileChannel ch = FileChannel.open(file)) {
                StreamScan scan = scanner.newScan(source, c);
                scan.runStreamsOnly(new Utf8Reader(ch));
            }
        }
    }
}

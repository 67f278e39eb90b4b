package dev.mayfly.cli.scan;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.scanner.ScanResult;
import dev.mayfly.scanner.report.ReportWriter;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The text report written while the scan runs: an input's finding lines go out as soon as it and every
 * input whose name sorts before it are scanned, so the lines come in the order of the whole report (by
 * file name, then position: a directory's files are walked in that order, so they stream as they finish;
 * files named out of order on the command line wait for the ones before them). The suppressed and warning
 * lines, the skipped files and the headline follow at the end ({@link #finish}). The bytes written are
 * exactly {@link CombinedReport}'s text. Used on the calling thread only.
 */
final class StreamedText implements InputScanner.ResultSink {
    private final Writer out;
    /** Input indexes in report order: by name, stable. */
    private final List<Integer> order = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final ScanResult[] ready;
    private final boolean[] skipped;
    private int next;

    StreamedText(ScanInputs inputs, Writer out) {
        this.out = out;
        List<ScanInputs.Input> all = inputs.inputs();
        for (int i = 0; i < all.size(); i++) {
            order.add(i);
            names.add(all.get(i).name());
        }
        order.sort(Comparator.comparing(i -> all.get(i).name()));
        ready = new ScanResult[all.size()];
        skipped = new boolean[all.size()];
    }

    @Override
    public void accept(int index, ScanResult result) {
        ready[index] = result;
        drain();
    }

    /** An input that gave no result (a binary or unreadable file): nothing to wait for. */
    @Override
    public void skipped(int index) {
        skipped[index] = true;
        drain();
    }

    private void drain() {
        try {
            while (next < order.size()) {
                // Inputs of the same name (a file named twice) go out together, merged by position as the
                // whole report orders them.
                int end = next + 1;
                while (end < order.size() && names.get(order.get(end)).equals(names.get(order.get(next)))) {
                    end++;
                }
                List<ScanResult> group = new ArrayList<>();
                for (int k = next; k < end; k++) {
                    int i = order.get(k);
                    if (ready[i] == null && !skipped[i]) {
                        return;
                    }
                    if (ready[i] != null) {
                        group.add(ready[i]);
                    }
                }
                if (!group.isEmpty()) {
                    ReportWriter.textFindingLines().write(group.size() == 1 ? group.get(0) : ScanResult.merge(group), out);
                    out.flush();
                }
                for (int k = next; k < end; k++) {
                    ready[order.get(k)] = null;
                }
                next = end;
            }
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot write the report to stdout.");
        }
    }

    /** Writes the rest of the report once every input is scanned. */
    void finish(ScanReport report) {
        try {
            CombinedReport.textAfterFindings(report, out);
            out.flush();
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot write the report to stdout.");
        }
    }
}

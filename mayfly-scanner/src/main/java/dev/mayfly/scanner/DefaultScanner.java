package dev.mayfly.scanner;

import dev.mayfly.scanner.rules.RuleSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The {@link SecretScanner} implementation. Immutable and thread-safe; each scan has its own state. */
final class DefaultScanner implements SecretScanner {
    private final Settings settings;

    private final CompiledRules compiled;

    DefaultScanner(SecretScanner.Builder b) {
        this.settings = new Settings(b);
        this.compiled = new CompiledRules(b.rules);
    }

    @Override
    public ScanResult scan(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return scanFile(path);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !inGitDirectory(path.relativize(p)))
                    .sorted()
                    .forEach(files::add);
        }
        List<ScanResult> parts = new ArrayList<>();
        List<ScanWarning> unreadable = new ArrayList<>();
        for (Path f : files) {
            try {
                parts.add(scanFile(f));
            } catch (IOException e) {
                unreadable.add(new ScanWarning(ScanWarning.Code.UNREADABLE, null, f.toString(), 0,
                        "could not read " + f));
            }
        }
        parts.add(new ScanResult(List.of(), unreadable, 0, 0));
        return ScanResult.merge(parts);
    }

    private ScanResult scanFile(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return scan(new Utf8Reader(channel), file.toString());
        }
    }

    @Override
    public ScanResult scan(InputStream in, String source) throws IOException {
        return scan(new Utf8Reader(in), source);
    }

    @Override
    public ScanResult scan(Reader in, String source) throws IOException {
        Collector collector = new Collector();
        long chars = new StreamScan(compiled, settings, source, collector).run(in);
        return new ScanResult(collector.findings, collector.warnings, collector.suppressed, 1, chars);
    }

    @Override
    public ScanResult scan(CharSequence text, String source) {
        try {
            return scan(new CharSequenceReader(text), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public FileParts parts(Path file, String source, long partBytes) throws IOException {
        return FileParts.plan(this, file, source, partBytes, compiled.overlap);
    }

    Settings settings() {
        return settings;
    }

    @Override
    public Redactor redactor() {
        return new DefaultRedactor(this);
    }

    @Override
    public RuleSet rules() {
        return compiled.ruleSet;
    }

    StreamScan newScan(String source, ScanListener listener) {
        return new StreamScan(compiled, settings, source, listener);
    }

    private static boolean inGitDirectory(Path relative) {
        for (Path part : relative) {
            if (part.toString().equals(".git")) {
                return true;
            }
        }
        return false;
    }

    /** Collects one scan's (or one part's) findings, warnings and suppressions. */
    static final class Collector implements ScanListener {
        final List<Finding> findings = new ArrayList<>();
        final List<ScanWarning> warnings = new ArrayList<>();
        final List<Suppression> suppressed = new ArrayList<>();

        @Override
        public void suppressed(Suppression suppression) {
            suppressed.add(suppression);
        }

        @Override
        public void finding(Finding finding) {
            findings.add(finding);
        }

        @Override
        public void warning(ScanWarning warning) {
            warnings.add(warning);
        }
    }
}

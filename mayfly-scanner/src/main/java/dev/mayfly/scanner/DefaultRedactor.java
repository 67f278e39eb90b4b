package dev.mayfly.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** The {@link Redactor} of a {@link DefaultScanner}. Thread-safe. */
final class DefaultRedactor implements Redactor {
    private final DefaultScanner scanner;

    DefaultRedactor(DefaultScanner scanner) {
        this.scanner = scanner;
    }

    @Override
    public String redact(CharSequence text) {
        StringWriter out = new StringWriter(text.length() + 16);
        try {
            // Buffers sized to the text: the broker masks every log line through here, and two 16 KB buffers per
            // line were ~15% of all it allocated under token-exchange load.
            MaskingWriter masking = new MaskingWriter(out, text.length());
            scanner.newScan("-", masking).run(new CharSequenceReader(text), text.length());
            masking.rethrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public void redact(InputStream in, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        redact(new InputStreamReader(in, StandardCharsets.UTF_8), w);
        w.flush();
    }

    @Override
    public void redact(Reader in, Writer out) throws IOException {
        MaskingWriter masking = new MaskingWriter(out);
        scanner.newScan("-", masking).run(in);
        masking.rethrow();
    }
}

package dev.mayfly.scanner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;

/**
 * Prints input with every secret masked, keeping everything else byte for byte. A secret is replaced by
 * its redacted form ({@code mfy_rt_********}); the replacement never contains quotes, backslashes or
 * control characters, and covers whole escape sequences, so JSON and JSONL stay valid. A secret
 * reassembled from several streamed chunks is masked in each chunk. Streams are processed in bounded
 * memory. Thread-safe.
 */
public interface Redactor {
    String redact(CharSequence text);

    /** Redacts UTF-8 {@code in} to UTF-8 {@code out}; does not close either. */
    void redact(InputStream in, OutputStream out) throws IOException;

    /** Does not close either. */
    void redact(Reader in, Writer out) throws IOException;
}

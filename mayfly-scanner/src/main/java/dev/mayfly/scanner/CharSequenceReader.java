package dev.mayfly.scanner;

import java.io.Reader;

/** A {@link Reader} over a {@link CharSequence}, without copying it first. */
final class CharSequenceReader extends Reader {
    private final CharSequence text;
    private int pos;

    CharSequenceReader(CharSequence text) {
        this.text = text;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
        if (pos >= text.length()) {
            return -1;
        }
        int n = Math.min(len, text.length() - pos);
        if (text instanceof String) {
            ((String) text).getChars(pos, pos + n, cbuf, off);
        } else {
            for (int i = 0; i < n; i++) {
                cbuf[off + i] = text.charAt(pos + i);
            }
        }
        pos += n;
        return n;
    }

    @Override
    public void close() {
    }
}

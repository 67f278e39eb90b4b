package dev.mayfly.scanner;

/** What a scan of one input reports, in order. Not part of the public API. */
interface ScanListener {
    /** Input characters as they are read, each exactly once, in order. */
    default void input(char[] buf, int off, int len) {
    }

    void finding(Finding finding);

    default void warning(ScanWarning warning) {
    }

    /** A match a rule refused (only when the scanner explains). */
    default void suppressed(Suppression suppression) {
    }

    /** No finding reported from now on has a span that starts before {@code offset}. */
    default void committed(long offset) {
    }
}

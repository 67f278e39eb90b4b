package dev.mayfly.cli.process;

import java.nio.charset.StandardCharsets;

/**
 * How a child process ended: its exit code ({@code 128 + n} when killed by signal n, as the JDK reports
 * it), what it printed on stdout (and on stderr, when captured), and whether it ran out of time.
 */
public record ChildResult(int exitCode, byte[] stdout, byte[] stderr, boolean timedOut) {
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String stderrText() {
        return new String(stderr, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "ChildResult[exit " + exitCode + (timedOut ? ", timed out" : "") + "]";
    }
}

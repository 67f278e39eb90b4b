package dev.mayfly.cli.process;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command line as a child process with an exact environment, capturing stdout (and optionally
 * stderr) while it runs, so a chatty child never blocks on a full pipe. A command that cannot be started
 * is {@code NOT_FOUND}; one that outlives its deadline is killed and reported as timed out.
 */
public final class ChildProcess {
    /** What the child reads: the parent's stdin, or nothing (EOF at once, so it can never wait for a prompt). */
    public enum Stdin { INHERIT, EMPTY }

    private ChildProcess() {
    }

    public static ChildResult run(List<String> argv, Map<String, String> env, Stdin stdin, boolean captureStderr,
                                  Duration timeout) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(stdin == Stdin.INHERIT ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.PIPE);
        pb.redirectError(captureStderr ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.INHERIT);
        Process p = start(pb, argv.get(0));
        if (stdin == Stdin.EMPTY) {
            closeQuietly(p.getOutputStream());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = captureStderr ? drain(p.getErrorStream()) : CompletableFuture.completedFuture(new byte[0]);
        boolean timedOut = false;
        // A child that shares our stdin is in the foreground: signals meant for us are meant for it.
        SignalForwarder signals = stdin == Stdin.INHERIT ? new SignalForwarder(p) : null;
        try {
            if (timeout == null) {
                waitUninterruptibly(p);
            } else if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new MayflyException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + argv.get(0) + ".");
        } finally {
            if (signals != null) {
                signals.close();
            }
        }
        return new ChildResult(p.exitValue(), out.join(), err.join(), timedOut);
    }

    /** Waits for the child to end; signals are forwarded to it meanwhile, so only its end ends the wait. */
    public static int waitUninterruptibly(Process child) {
        while (true) {
            try {
                return child.waitFor();
            } catch (InterruptedException e) {
                // Keep waiting: the child decides when it is done.
            }
        }
    }

    /** Starts a process, turning "no such program" into {@code NOT_FOUND}. */
    public static Process start(ProcessBuilder pb, String program) {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new MayflyException(MayflyError.builder(ErrorCode.NOT_FOUND,
                            "Cannot run '" + program + "': not found or not executable.")
                    .detail("program", program)
                    .build());
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(buf);
            } catch (IOException ignored) {
                // The child went away; keep what arrived.
            }
            f.complete(buf.toByteArray());
        }, "mayfly-child-output");
        t.setDaemon(true);
        t.start();
        return f;
    }

    private static void closeQuietly(java.io.OutputStream s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Nothing to close.
        }
    }
}

package dev.mayfly.cli.context;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyException;
import dev.mayfly.core.secret.Secret;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Secrets piped on stdin. Never a prompt: from a terminal nothing is read. Reading is bounded in size and
 * in time, so a caller that left stdin open without writing gets an error instead of a hang.
 */
public final class Stdin {
    private static final int MAX_BYTES = 64 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(5);

    private Stdin() {
    }

    /** True when stdin is a pipe or a file (Linux: what /proc/self/fd/0 points at); false for a terminal. */
    public static boolean isPiped() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("pipe:") || (target.startsWith("/") && !target.startsWith("/dev/"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    public static boolean isTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** What piped stdin holds (trimmed), or empty when nothing was piped: for callers with other sources to try. */
    public static java.util.Optional<Secret> readSecretIfPiped(String what) {
        if (!isPiped()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(readSecret(what));
        } catch (MayflyException e) {
            if (e.code() != ErrorCode.PRECONDITION) {
                throw e;
            }
            return java.util.Optional.empty();
        }
    }

    /** Reads stdin to its end (trimmed) as a secret; {@code what} names it in errors. */
    public static Secret readSecret(String what) {
        String value = readText(what).trim();
        if (value.isEmpty()) {
            throw new MayflyException(ErrorCode.PRECONDITION, "stdin was empty; expected " + what + ".");
        }
        return Secret.of(value);
    }

    /** Reads stdin to its end, as it is; {@code what} names it in errors. */
    public static String readText(String what) {
        if (isTerminal()) {
            throw new MayflyException(ErrorCode.PRECONDITION,
                    "Refusing to prompt for " + what + " on a terminal; pipe it on stdin, or use the file or environment variable.");
        }
        InputStream in = System.in;
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> readBounded(in));
        try {
            return new String(read.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "stdin gave no " + what + " within " + WAIT.toSeconds() + "s.");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof MayflyException m ? m
                    : new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + what + " from stdin.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(ErrorCode.PRECONDITION, "Interrupted while reading " + what + " from stdin.");
        }
    }

    private static byte[] readBounded(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                if (out.size() > MAX_BYTES) {
                    throw new MayflyException(ErrorCode.USAGE, "stdin is larger than " + MAX_BYTES + " bytes.");
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read stdin.");
        }
    }

    /** Reads a secret from a file (trimmed); warns through the callback when others can read the file. */
    public static Secret readSecretFile(Path file, String what, java.util.function.Consumer<String> warn) {
        try {
            if (dev.mayfly.cli.cache.SecretFiles.readableByOthers(file)) {
                warn.accept(file + " holds " + what + " but is readable by group or others; chmod 600 it.");
            }
            String value = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (value.isEmpty()) {
                throw new MayflyException(ErrorCode.PRECONDITION, file + " is empty; expected " + what + ".");
            }
            return Secret.of(value);
        } catch (IOException e) {
            throw new MayflyException(ErrorCode.PRECONDITION, "Cannot read " + what + " from " + file + ".");
        }
    }
}

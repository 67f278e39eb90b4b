package dev.mayfly.cli.cache;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock on the credential cache, held across read-refresh-write so that parallel invocations
 * refresh one at a time. Two layers, because an OS file lock belongs to the whole JVM: a
 * {@link ReentrantLock} per lock file serialises threads of this process ({@code mayfly exec} serves tokens
 * from several threads), then {@link FileChannel#tryLock()} on the lock file serialises processes.
 * Waiting is bounded; the wait is real time, not token time.
 */
public final class CacheLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private CacheLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    static CacheLock acquire(Path lockFile, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReentrantLock threadLock = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), p -> new ReentrantLock());
        try {
            if (!threadLock.tryLock(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw held(lockFile, timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw held(lockFile, timeout);
        }
        FileChannel channel = null;
        try {
            SecretFiles.ensurePrivateDirectory(lockFile.toAbsolutePath().getParent());
            channel = FileChannel.open(lockFile, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    SecretFiles.ownerOnly());
            long pause = 5;
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new CacheLock(threadLock, channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw held(lockFile, timeout);
                }
                Thread.sleep(pause);
                pause = Math.min(50, pause * 2);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threadLock.unlock();
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(channel);
            threadLock.unlock();
            throw held(lockFile, timeout);
        }
    }

    private static MayflyException held(Path lockFile, Duration timeout) {
        return new MayflyException(MayflyError.builder(ErrorCode.TIMEOUT,
                        "Another mayfly process held the credential cache lock (" + lockFile + ") for over "
                                + timeout.toSeconds() + "s.")
                .detail("lock_file", lockFile.toString())
                .build());
    }

    boolean heldByCurrentThread() {
        return threadLock.isHeldByCurrentThread() && fileLock.isValid();
    }

    @Override
    public void close() {
        try {
            fileLock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it anyway.
        } finally {
            closeQuietly(channel);
            threadLock.unlock();
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing left to do with a channel that will not close.
            }
        }
    }
}

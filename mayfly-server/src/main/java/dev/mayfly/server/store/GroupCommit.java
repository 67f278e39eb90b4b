package dev.mayfly.server.store;

import dev.mayfly.core.error.ErrorCode;
import dev.mayfly.core.error.MayflyError;
import dev.mayfly.core.error.MayflyException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Group commit: small units of work from many request threads run together in one transaction, so one
 * durable commit (one fsync) serves a batch. Each caller waits until its work is committed, so "no token
 * without its record" holds; each unit runs under a savepoint, so one failing unit does not take the
 * others down. Under light load a batch is a single unit and nothing waits longer than it would alone.
 */
public final class GroupCommit implements AutoCloseable {
    private static final int MAX_BATCH = 512;

    private final Database db;
    private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    private static final class Job<T> {
        final Database.SqlWork<T> work;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        Exception failure;

        Job(Database.SqlWork<T> work) {
            this.work = work;
        }

        void complete() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }

    public GroupCommit(Database db) {
        this.db = db;
        this.writer = new Thread(this::drain, "mayfly-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Runs {@code work} in the next batch and returns its result once the batch has committed. */
    public <T> T run(Database.SqlWork<T> work) {
        if (closed) {
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE, "The broker is shutting down.")
                    .retryAfterMs(1000).build());
        }
        Job<T> job = new Job<>(work);
        queue.add(job);
        try {
            return job.done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new MayflyException(MayflyError.builder(ErrorCode.UNAVAILABLE, "The database is unavailable or busy.")
                    .retryAfterMs(1000).build(), cause);
        } catch (TimeoutException e) {
            throw new MayflyException(MayflyError.of(ErrorCode.TIMEOUT, "The database did not commit in time."), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MayflyException(MayflyError.of(ErrorCode.TIMEOUT, "Interrupted while waiting for a commit."), e);
        }
    }

    private void drain() {
        List<Job<?>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Job<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Job<?>> batch) {
        try {
            db.inTransaction(c -> {
                for (Job<?> job : batch) {
                    runOne(c, job);
                }
                return null;
            });
        } catch (RuntimeException e) {
            for (Job<?> job : batch) {
                if (job.failure == null) {
                    job.failure = e; // the commit itself failed: nothing of the batch is durable
                }
            }
        }
        batch.forEach(Job::complete);
    }

    private static <T> void runOne(java.sql.Connection c, Job<T> job) throws java.sql.SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            job.result = job.work.run(c);
            c.releaseSavepoint(sp);
        } catch (java.sql.SQLException e) {
            if (Dialect.isUnavailable(e)) {
                // A lock or statement timeout, or a lost connection: every later unit would wait as long again
                // (a batch of 512 behind a stalled node's lock would take 512 lock timeouts), so the whole batch
                // fails at once and each caller gets its 503.
                throw e;
            }
            c.rollback(sp);
            job.failure = e;
        } catch (RuntimeException e) {
            c.rollback(sp);
            job.failure = e;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

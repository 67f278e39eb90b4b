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
 *
 * <p>On PostgreSQL a savepoint is two more round trips per unit ({@code SAVEPOINT}, {@code RELEASE}) and a
 * subtransaction with its own transaction id; past 64 of them in one transaction every other backend's snapshot
 * checks overflow to {@code pg_subtrans}. So there a batch first runs without savepoints; only when a unit fails
 * (which aborts the whole PostgreSQL transaction) is the batch rolled back and run again with a savepoint per unit,
 * as on SQLite, so that unit fails alone. A unit may therefore run twice: it must do nothing outside its
 * connection that a second run would get wrong (its result is taken from the run that committed).
 */
public final class GroupCommit implements AutoCloseable {
    private static final int MAX_BATCH = 512;

    private final Database db;
    /** Whether every unit gets its savepoint up front (SQLite: cheap, in-process) or only after a failure. */
    private final boolean savepointEveryUnit;
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

        /** Forgets a run that was rolled back, before the unit runs again. */
        void reset() {
            result = null;
            failure = null;
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
        this.savepointEveryUnit = db.dialect() != Dialect.POSTGRESQL;
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

    /** Units waiting for the writer (for tests that line up a batch). */
    int waiting() {
        return queue.size();
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
        if (savepointEveryUnit) {
            commitIsolated(batch);
            return;
        }
        try {
            db.inTransaction(c -> {
                for (Job<?> job : batch) {
                    runUnprotected(c, job);
                }
                return null;
            });
        } catch (UnitFailed e) {
            // One unit failed and PostgreSQL aborted the transaction with it (the rollback is done): run the batch
            // again, each unit under a savepoint, so that unit fails alone and the others commit.
            batch.forEach(Job::reset);
            commitIsolated(batch);
            return;
        } catch (RuntimeException e) {
            for (Job<?> job : batch) {
                job.failure = e; // the database is out of reach or the commit failed: nothing of the batch is durable
            }
        }
        batch.forEach(Job::complete);
    }

    /** Runs a unit without a savepoint; a failure of its own rolls the whole batch back ({@link UnitFailed}). */
    private static <T> void runUnprotected(java.sql.Connection c, Job<T> job) throws java.sql.SQLException {
        try {
            job.result = job.work.run(c);
        } catch (java.sql.SQLException e) {
            if (Dialect.isUnavailable(e)) {
                throw e; // the database's failure, not the unit's: the whole batch fails at once (see runOne)
            }
            throw new UnitFailed();
        } catch (RuntimeException e) {
            throw new UnitFailed();
        }
    }

    /** Rolls a batch back because one of its units failed; carries nothing, the unit fails again under its savepoint. */
    private static final class UnitFailed extends RuntimeException {
        UnitFailed() {
            super("a unit of the batch failed", null, false, false);
        }
    }

    /** Runs the batch with a savepoint per unit, so a failing unit fails alone. */
    private void commitIsolated(List<Job<?>> batch) {
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

package dev.mayfly.server.revocation;

import dev.mayfly.core.revocation.RevocationEvent;
import dev.mayfly.server.store.Database;
import dev.mayfly.server.store.RevocationStore;
import dev.mayfly.core.revocation.RevocationSet;
import java.util.List;

/**
 * Brings this node's in-memory revocation set and stream subscribers up to date with revocations other
 * broker nodes committed. Reads in sequence order from where it last stopped, so nothing is skipped
 * however the wake-ups (PostgreSQL notifications, or the periodic poll that backs them up) arrive.
 */
public final class RevocationSync {
    private final Database db;
    private final RevocationStore store;
    private final RevocationSet set;
    private final RevocationFeed feed;
    private volatile long applied;
    private final SharedCatchUp sharedCatchUp = new SharedCatchUp(this::catchUpRound);

    public RevocationSync(Database db, RevocationStore store, RevocationSet set, RevocationFeed feed, long startAfter) {
        this.db = db;
        this.store = store;
        this.set = set;
        this.feed = feed;
        this.applied = startAfter;
    }

    /**
     * For a check that must not miss an acknowledged revocation: asks the database, without taking this
     * object's lock (so concurrent checks do not queue behind each other), whether anything was committed after
     * what this node applied; only when something was does it {@link #sync} (in order, under the lock), so the
     * usual cost is one query on the revocations' primary key that returns no row, shared by the checks that
     * arrived before it started ({@link SharedCatchUp}). Throws when the database cannot be read (the caller fails
     * closed).
     */
    public void catchUp() {
        sharedCatchUp.await();
    }

    /** One round of {@link #catchUp}: checks that arrive while one runs share the next ({@link SharedCatchUp}). */
    private void catchUpRound() {
        long after = applied;
        if (!db.read(c -> store.since(c, after, 1)).isEmpty()) {
            sync();
        }
    }

    /** The sequence number of the last revocation this node applied. */
    public long applied() {
        return applied;
    }

    /** Applies everything committed since the last call; returns how many revocations were new to it. */
    public synchronized int sync() {
        int n = 0;
        while (true) {
            long after = applied;
            List<RevocationEvent> batch = db.read(c -> store.since(c, after, 1000));
            for (RevocationEvent r : batch) {
                set.add(r);
                applied = r.seq();
                n++;
            }
            if (!batch.isEmpty()) {
                feed.published(applied);
            }
            if (batch.size() < 1000) {
                return n;
            }
        }
    }
}

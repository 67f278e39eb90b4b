package dev.mayfly.server.store;

/**
 * The broker's persistent state: the database, the group commit that batches its hot-path writes, and the
 * repositories over its tables. One value, because an endpoint that reads an agent usually reads its
 * session too, inside the same transaction.
 */
public record Stores(Database db, GroupCommit commits, AgentStore agents, SessionStore sessions,
                     RevocationStore revocations) {
}

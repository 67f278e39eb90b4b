package dev.mayfly.server.grace;

import dev.mayfly.server.testing.BrokerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RefreshReuseGraceContract} on SQLite: one node (SQLite is single-node). */
class SqliteRefreshReuseGraceTest extends RefreshReuseGraceContract {
    @RegisterExtension
    static final BrokerExtension node = new BrokerExtension();

    @Override
    BrokerExtension nodeA() {
        return node;
    }

    @Override
    BrokerExtension nodeB() {
        return node;
    }
}

package dev.mayfly.server.grace;

import dev.mayfly.server.crypto.MasterKey;
import dev.mayfly.server.testing.BrokerExtension;
import dev.mayfly.server.testing.Postgres;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RefreshReuseGraceContract} on PostgreSQL with two broker nodes sharing one database and one master
 * key: the grace is decided in the database, so a retry at the other node gets the same successor.
 */
class PostgresRefreshReuseGraceTest extends RefreshReuseGraceContract {
    private static final String URL = Postgres.shared().createDatabase();
    private static final Map<String, String> KEY = Map.of(MasterKey.ENV, MasterKey.generate("test").toBase64());

    @RegisterExtension
    @Order(1)
    static final BrokerExtension a = new BrokerExtension(b -> b.database(URL, Postgres.USER, null).env(KEY));

    @RegisterExtension
    @Order(2)
    static final BrokerExtension b = new BrokerExtension(b -> b.database(URL, Postgres.USER, null).env(KEY));

    @Override
    BrokerExtension nodeA() {
        return a;
    }

    @Override
    BrokerExtension nodeB() {
        return b;
    }
}

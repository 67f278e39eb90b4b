package dev.mayfly.server.store;

import dev.mayfly.server.testing.Postgres;

/** The repository tests on a real PostgreSQL (started by the tests). */
class PostgresStoreTest extends StoreContract {
    @Override
    protected Database open() {
        return Database.openPostgres(Postgres.shared().createDatabase(), Postgres.USER, null, 8);
    }
}

package org.hasm.actors.forensics;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.TestDatabases;
import org.junit.jupiter.api.AfterAll;

/** The tail and anchor attacks on PostgreSQL 16 (embedded), each segment's table in its own schema. */
class PostgresTailTamperingTest extends TailTamperingContract {
    private EmbeddedPostgres postgres;
    private JournalStore store;

    @Override
    JournalStore store() {
        if (store == null) {
            try {
                postgres = TestDatabases.startPostgres();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
            }
            store = TestDatabases.postgresStore(postgres);
        }
        return store;
    }

    @AfterAll
    void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }
}

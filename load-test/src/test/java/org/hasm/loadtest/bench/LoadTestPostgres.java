package org.hasm.loadtest.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.hasm.persistence.jdbc.TestDatabases;

/**
 * Starts the tests' embedded PostgreSQL 16 (fsync and synchronous commit on, a non-superuser owner) for
 * {@code hasm load-test --db} in another process, prints how to reach it, and stops it when standard input
 * ends (Enter or Ctrl-D). Not a test: BENCHMARKS.md, "Load test".
 */
public final class LoadTestPostgres {
    private LoadTestPostgres() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedPostgres pg = TestDatabases.startPostgres()) {
            System.out.println("HASM_DB_USER=" + TestDatabases.USER + " HASM_DB_PASSWORD=" + TestDatabases.PASSWORD
                    + " bin/hasm load-test --db " + TestDatabases.url(pg) + " ...");
            System.out.println("(Enter or Ctrl-D stops the database)");
            System.out.flush();
            System.in.read();
        }
    }
}

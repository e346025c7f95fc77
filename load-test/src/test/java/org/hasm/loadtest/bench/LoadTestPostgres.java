package org.hasm.loadtest.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.persistence.jdbc.TestDatabases;

/**
 * Starts the tests' embedded PostgreSQL 16 (fsync and synchronous commit on, a non-superuser owner) for
 * {@code hasm load-test --db} in another process, prints how to reach it, and stops it when standard input
 * ends (Enter or Ctrl-D). Not a test: BENCHMARKS.md, "Load test".
 *
 * <p>The server is set up as docs/storage.md advises for a central system ({@link #CENTRAL_SYSTEM}) and logs its
 * checkpoints on this console. Arguments {@code name=value} add or override server settings: for example
 * {@code max_wal_size=1GB} for PostgreSQL's default, or {@code log_min_duration_statement=100} to see the slow
 * COMMITs behind a stalled second of the load test's series (the journal's multi-row INSERTs are logged too,
 * whole).
 */
public final class LoadTestPostgres {
    /** docs/storage.md, "Running on PostgreSQL in production". */
    static final Map<String, String> CENTRAL_SYSTEM = Map.of(
            "shared_buffers", "2GB",
            "max_wal_size", "8GB",
            "checkpoint_timeout", "30min");
    static final Map<String, String> LOGGING = Map.of(
            "log_checkpoints", "on",
            "log_autovacuum_min_duration", "1000");

    private LoadTestPostgres() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = new TreeMap<>(CENTRAL_SYSTEM);
        settings.putAll(LOGGING);
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                System.err.println("not a server setting: '" + a + "' (expected name=value, e.g. max_wal_size=1GB)");
                System.exit(2);
            }
            settings.put(a.substring(0, eq), a.substring(eq + 1));
        }
        try (EmbeddedPostgres pg = TestDatabases.startPostgres(settings, ProcessBuilder.Redirect.INHERIT)) {
            System.out.println("server settings: " + settings);
            System.out.println("HASM_DB_USER=" + TestDatabases.USER + " HASM_DB_PASSWORD=" + TestDatabases.PASSWORD
                    + " bin/hasm load-test --db " + TestDatabases.url(pg) + " ...");
            System.out.println("(Enter or Ctrl-D stops the database)");
            System.out.flush();
            System.in.read();
        }
    }
}

package org.hasm.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.hasm.persistence.jdbc.JournalStore;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR | --db URL} for the load test: its own default directory, so a load test never replaces
 * the simulation that {@code hasm replay} reads from {@code hasm-data}.
 */
final class LoadTestStorage {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "hasm-load-test-data",
            description = "Directory of the embedded H2 database the central system journals into (default:"
                    + " ${DEFAULT-VALUE}); an earlier load test there is replaced.")
    Path data;

    @Option(names = "--db", paramLabel = "URL",
            description = "PostgreSQL JDBC URL instead (jdbc:postgresql://host:5432/db); user and password from"
                    + " HASM_DB_USER and HASM_DB_PASSWORD. Each run uses new meter ids, so earlier runs' rows stay.")
    String db;

    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    JournalStore open(PrintWriter out) {
        StorageOptions.oneStore(mixee, db);
        return StorageOptions.freshStore(data, db, out, "the previous load test's database");
    }
}

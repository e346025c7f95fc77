package org.hasm.loadtest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hasm.actors.cli.UserError;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;
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

    JournalStore open(PrintWriter out) {
        try {
            if (db != null) {
                return JournalStore.fromEnvironment(db);
            }
            if (Files.isDirectory(data)) {
                List<Path> previous;
                try (Stream<Path> files = Files.list(data)) {
                    previous = files.filter(p -> p.getFileName().toString().startsWith("hasm.")).toList();
                }
                for (Path f : previous) {
                    Files.delete(f);
                }
                if (!previous.isEmpty()) {
                    out.println("replaced the previous load test's database in " + data);
                }
            } else if (Files.exists(data)) {
                throw new UserError("--data " + data + " exists and is not a directory");
            }
            return JournalStore.h2(data);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot use " + data + ": " + e.getMessage());
        }
    }
}

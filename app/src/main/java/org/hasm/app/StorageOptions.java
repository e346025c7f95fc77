package org.hasm.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --data DIR} (embedded H2, the default) or {@code --db URL} (PostgreSQL, credentials from
 * HASM_DB_USER and HASM_DB_PASSWORD, never on the command line).
 */
public final class StorageOptions {
    @Option(names = "--data", paramLabel = "DIR", defaultValue = "hasm-data",
            description = "Directory of the embedded H2 database (default: ${DEFAULT-VALUE}). 'hasm simulate' replaces"
                    + " an earlier simulation there; 'hasm replay' only reads it.")
    Path data;

    @Option(names = "--db", paramLabel = "URL",
            description = "PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db) instead of the embedded database;"
                    + " user and password come from the environment variables HASM_DB_USER and HASM_DB_PASSWORD.")
    String db;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec mixee;

    /** The store to simulate into; an earlier embedded run in the same directory is removed first. */
    JournalStore forNewRun(PrintWriter out) {
        oneStore(mixee, db);
        return freshStore(data, db, out, "the previous simulation");
    }

    /** {@code --data} and {@code --db} name two stores; a command uses one, so both given is a mistake. */
    static void oneStore(CommandLine.Model.CommandSpec spec, String db) {
        CommandLine.ParseResult parsed = spec == null ? null : spec.commandLine().getParseResult();
        if (db != null && parsed != null && parsed.hasMatchedOption("--data")) {
            throw new UserError("give --data DIR (the embedded H2 database) or --db URL (PostgreSQL), not both");
        }
    }

    /** The directories of embedded stores this command reads, which no output may go into ({@link OutputTarget}). */
    List<Path> readHere(Path centralData) {
        List<Path> stores = new java.util.ArrayList<>();
        if (db == null) {
            stores.add(data);
        }
        if (centralData != null) {
            stores.add(centralData);
        }
        return stores;
    }

    /**
     * PostgreSQL at {@code db} if given, else a new embedded database in {@code data}, where an earlier run's
     * database files are removed first (and {@code out} says so). Also the load test's, which keeps its own
     * default directory so that it never replaces the simulation {@code hasm replay} reads.
     *
     * @param previous what an earlier run there is called in that line, e.g. "the previous simulation"
     */
    public static JournalStore freshStore(Path data, String db, PrintWriter out, String previous) {
        try {
            if (db != null) {
                return JournalStore.fromEnvironment(db);
            }
            notAFile(data);
            OutputTarget.writableDirectory("--data " + data, data);
            if (Files.isDirectory(data)) {
                List<Path> earlier;
                try (Stream<Path> files = Files.list(data)) {
                    earlier = files.filter(p -> p.getFileName().toString().startsWith("hasm.")).toList();
                }
                for (Path f : earlier) {
                    Files.delete(f);
                }
                if (!earlier.isEmpty()) {
                    out.println("replaced " + previous + " in " + data);
                }
            }
            return JournalStore.h2(data);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot use " + data + ": " + e.getMessage());
        }
    }

    /**
     * The store of a long-lived node ({@code hasm node}): opened as it is, created when missing, never emptied,
     * so a restarted node recovers what it persisted.
     */
    JournalStore forNode() {
        oneStore(mixee, db);
        try {
            if (db != null) {
                return JournalStore.fromEnvironment(db);
            }
            notAFile(data);
            OutputTarget.writableDirectory("--data " + data, data);
            Files.createDirectories(data);
            return JournalStore.h2(data);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot use " + data + ": " + e.getMessage());
        }
    }

    /** Under the data directory: the central node's own embedded database, left by {@code simulate --processes 3}. */
    static final String CENTRAL_NODE = "central-node";

    /** The central node's embedded database in the data directory, if a simulation across processes left one. */
    Optional<Path> centralNodeData() {
        Path dir = data.resolve(CENTRAL_NODE);
        return db == null && Files.isRegularFile(h2File(dir)) ? Optional.of(dir) : Optional.empty();
    }

    /** The embedded database's file in {@code dir}. */
    static Path h2File(Path dir) {
        return dir.resolve(JournalStore.H2_DATABASE_NAME + ".mv.db");
    }

    /** Removes a central node's database an earlier simulation left in the data directory: it is not this run's. */
    void forgetCentralNode() {
        Path dir = data.resolve(CENTRAL_NODE);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UserError("cannot remove the earlier central node's journals in " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The store a simulation left behind, opened read-only (forensics). A missing or empty data directory
     * is a user error with one line, not an empty report.
     */
    JournalStore existing() {
        oneStore(mixee, db);
        try {
            if (db != null) {
                return JournalStore.fromEnvironment(db).readOnly();
            }
            notAFile(data);
            if (!Files.isDirectory(data)) {
                throw new UserError("no simulation data in " + data + ": the directory does not exist (run 'hasm simulate'"
                        + " first, or point --data at its directory, or --db at its PostgreSQL database)");
            }
            if (!Files.isRegularFile(h2File(data))) {
                throw new UserError("no simulation data in " + data + ": it holds no " + JournalStore.H2_DATABASE_NAME
                        + ".mv.db (run 'hasm simulate --data " + data + "' first)");
            }
            return readable(data);
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
    }

    private static void notAFile(Path data) {
        if (Files.exists(data) && !Files.isDirectory(data)) {
            throw new UserError("--data " + data + " is a file, not a directory");
        }
    }

    /** H2 opening a damaged file read-only says "the database is read only" or worse: say what it is instead. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    /**
     * The embedded store in {@code dir}, opened read-only once to see that it is one: an empty, foreign, truncated
     * or corrupt {@code hasm.mv.db} is one line that says so, not H2's word for why it could not open it.
     */
    static JournalStore readable(Path dir) {
        Path file = h2File(dir);
        String notAStore = file + " is not a readable hasm store: ";
        byte[] header = new byte[4];
        try (java.io.InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(header, 0, header.length);
            if (n == 0) {
                throw new UserError(notAStore + "it is empty (0 bytes)");
            }
            if (n < header.length || !new String(header, java.nio.charset.StandardCharsets.US_ASCII).equals("H:2,")) {
                throw new UserError(notAStore + "it is not an H2 database file");
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + OutputTarget.reason(e));
        }
        JournalStore store = JournalStore.h2(dir).readOnly();
        try (java.sql.Connection c = store.connect()) {
            c.isValid(5);
        } catch (StorageException e) {
            if (e.getCause() instanceof java.sql.SQLException s && s.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                throw e; // in use by a running simulation: DatabaseErrors says so
            }
            throw new UserError(notAStore + "it is corrupt or truncated (H2 cannot open it read-only)");
        } catch (java.sql.SQLException e) {
            throw new UserError(notAStore + "it is corrupt or truncated (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return store;
    }
}

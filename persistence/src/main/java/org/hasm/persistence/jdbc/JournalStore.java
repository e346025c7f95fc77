package org.hasm.persistence.jdbc;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * Where the journals live, embedded H2 in a data directory or PostgreSQL, and the Pekko configuration that
 * puts them there ({@link #applyTo(Config)}). Each of {@link #journals()}, the six segments and the central
 * system's, gets its own journal, snapshot and read-journal plugin ({@code hasm.journal.<name>},
 * {@code hasm.snapshot.<name>}, {@code hasm.query.<name>}) on tables of its own ({@code off_switch_log_journal},
 * {@code _tag}, {@code _snapshot}), on PostgreSQL in the segment's own schema or {@value #CENTRAL_SCHEMA}: no
 * plugin names another journal's tables, so nothing of one segment can be written to another's storage. The
 * plugins share one connection pool ({@link #SHARED_DATABASE}), since a pool each would open more connections
 * than PostgreSQL allows by default. Without {@code applyTo} (unit tests) the reference.conf files map every
 * journal to Pekko's in-memory one.
 *
 * <p>Instances are immutable; {@link #toString()} never shows the password.
 */
public final class JournalStore {

    /** The two supported databases. */
    public enum Dialect { H2, POSTGRES }

    /** Name of the one connection pool all plugins share, under {@code pekko-persistence-jdbc.shared-databases}. */
    public static final String SHARED_DATABASE = "hasm";
    /** Environment variable with the PostgreSQL user. */
    public static final String ENV_USER = "HASM_DB_USER";
    /** Environment variable with the PostgreSQL password. */
    public static final String ENV_PASSWORD = "HASM_DB_PASSWORD";
    /** Connections in the shared pool (and Slick threads running statements on them). */
    public static final int DEFAULT_POOL_SIZE = 20;
    /**
     * Writes each journal queues before refusing more. Every entity has at most one write in flight (its
     * port sends the next batch once the last is written), so this bounds the entities of one segment kind
     * persisting at once. The queue is a linked list: unused capacity costs nothing.
     */
    public static final int DEFAULT_BUFFER_SIZE = 100_000;
    /**
     * How long one journal write may take, queueing included, before it counts as a failure. A full queue
     * of {@link #DEFAULT_BUFFER_SIZE} writes drains in about 5 s at the measured 20k events/s; Pekko's 10 s
     * default would leave little margin.
     */
    public static final String CALL_TIMEOUT = "30s";
    /**
     * Journal writes of one journal in flight at once ({@code jdbc-journal.parallelism}; the plugin's
     * default is 8). While one is, the journal's queue collects the next batch, so fewer in flight means
     * fewer, larger transactions, each one commit and one WAL flush. 8 -> 2 took PostgreSQL from 27k to
     * 37-54k events/s (JournalBenchmark); 2 -> 1 made a central system at 8,000 readings/s commit 9-12 rows
     * at a time instead of 6-8, with 18 % less database CPU, and a saturated one no slower (BENCHMARKS.md).
     */
    public static final int PARALLELISM = 1;
    /** The dispatcher the plugin actors and their future callbacks run on: Pekko's default for plugins. */
    public static final String PLUGIN_DISPATCHER = "pekko.persistence.dispatchers.default-plugin-dispatcher";

    /** File name (without H2's {@code .mv.db}) of the H2 database inside the data directory. */
    public static final String H2_DATABASE_NAME = "hasm";

    private final Dialect dialect;
    private final String url;
    private final Credentials credentials;
    private final Path dataDir;
    private final int poolSize;
    private final int bufferSize;
    private final List<String> centralJournals;

    private JournalStore(Dialect dialect, String url, Credentials credentials, Path dataDir, int poolSize,
            int bufferSize, List<String> centralJournals) {
        this.dialect = dialect;
        this.url = url;
        this.credentials = credentials;
        this.dataDir = dataDir;
        this.poolSize = poolSize;
        this.bufferSize = bufferSize;
        this.centralJournals = List.copyOf(centralJournals);
    }

    /** An H2 file database {@code dataDir/hasm.mv.db}; the directory is created when the database is. */
    public static JournalStore h2(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        Path dir = dataDir.toAbsolutePath().normalize();
        return new JournalStore(Dialect.H2, JdbcUrls.h2(dir), Credentials.H2, dir, DEFAULT_POOL_SIZE,
                DEFAULT_BUFFER_SIZE, CENTRAL_JOURNALS);
    }

    /**
     * A PostgreSQL database; {@code reWriteBatchedInserts=true} is added to the URL unless it sets that
     * option itself (it turns a batch into multi-row INSERTs: about +20 % journal throughput).
     */
    public static JournalStore postgres(String jdbcUrl, String user, String password) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        String url = JdbcUrls.postgres(jdbcUrl);
        return new JournalStore(Dialect.POSTGRES, url, Credentials.postgres(jdbcUrl, user, password), null,
                DEFAULT_POOL_SIZE, DEFAULT_BUFFER_SIZE, CENTRAL_JOURNALS);
    }

    /** {@link #postgres} with the user from {@value #ENV_USER} and the password from {@value #ENV_PASSWORD}. */
    public static JournalStore fromEnvironment(String jdbcUrl) {
        return fromEnvironment(jdbcUrl, System.getenv());
    }

    /** {@link #fromEnvironment(String)} reading the given variables instead of the process's. */
    public static JournalStore fromEnvironment(String jdbcUrl, Map<String, String> environment) {
        Credentials credentials = Credentials.fromEnvironment(environment);
        return postgres(jdbcUrl, credentials.user(), credentials.password());
    }

    /**
     * The same store opened read-only, for forensics: H2 with {@code ACCESS_MODE_DATA=r} (the file is
     * never written, not even by housekeeping), PostgreSQL with read-only sessions ({@code readOnly=true},
     * {@code readOnlyMode=always}, so also with auto-commit), where any write is refused by the server.
     */
    public JournalStore readOnly() {
        return new JournalStore(dialect, JdbcUrls.readOnly(dialect, url), credentials, dataDir, poolSize, bufferSize,
                centralJournals);
    }

    /** True for a store made by {@link #readOnly()}. */
    public boolean isReadOnly() {
        return JdbcUrls.isReadOnly(url);
    }

    /** The same store with another size of the shared connection pool. */
    public JournalStore withPoolSize(int connections) {
        if (connections < 1) {
            throw new IllegalArgumentException("pool size must be positive: " + connections);
        }
        return new JournalStore(dialect, url, credentials, dataDir, connections, bufferSize, centralJournals);
    }

    /** The same store with another journal write queue size ({@code jdbc-journal.bufferSize}). */
    public JournalStore withBufferSize(int writes) {
        if (writes < 1) {
            throw new IllegalArgumentException("buffer size must be positive: " + writes);
        }
        return new JournalStore(dialect, url, credentials, dataDir, poolSize, writes, centralJournals);
    }

    public Dialect dialect() {
        return dialect;
    }

    public String jdbcUrl() {
        return url;
    }

    public String user() {
        return credentials.user();
    }

    /** The H2 data directory; null for PostgreSQL. */
    public Path dataDir() {
        return dataDir;
    }

    public int poolSize() {
        return poolSize;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** The central system's journal of signed log anchors, {@code hasm.journal.central-anchors}. */
    public static final String CENTRAL_ANCHORS = "central-anchors";
    /** The central system's MeterAccounts' journal, {@code hasm.journal.central-accounts}. */
    public static final String CENTRAL_ACCOUNTS = "central-accounts";
    /** The OperatorGateway's journal of every operator attempt (P16), {@code hasm.journal.central-operator}. */
    public static final String CENTRAL_OPERATOR = "central-operator";
    /** The FraudAlertLedgers' journal of every fraud alert a concentrator sent, {@code hasm.journal.central-alerts}. */
    public static final String CENTRAL_ALERTS = "central-alerts";
    /**
     * The central system's journals every store configures: {@value #CENTRAL_ANCHORS} (the anchor ledger's),
     * {@value #CENTRAL_ACCOUNTS} (the MeterAccounts'), {@value #CENTRAL_OPERATOR} (the OperatorGateway's) and
     * {@value #CENTRAL_ALERTS} (the FraudAlertLedgers').
     * More with {@link #withCentralJournal(String)}.
     */
    public static final List<String> CENTRAL_JOURNALS = List.of(CENTRAL_ANCHORS, CENTRAL_ACCOUNTS, CENTRAL_OPERATOR, CENTRAL_ALERTS);
    /** The PostgreSQL schema of every central-system journal's tables. */
    public static final String CENTRAL_SCHEMA = "central";

    /**
     * One journal of hasm with its three plugins and its three tables: a memory segment's
     * ({@link #of(Part)}) or one of the central system's ({@link #central(String)}).
     *
     * @param name   the plugin ids' last element, {@code off-switch-log} or {@code central-anchors}
     * @param schema the PostgreSQL schema of its tables (the segment's own, or {@value JournalStore#CENTRAL_SCHEMA})
     */
    public record Journal(String name, String schema) {
        public Journal {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schema, "schema");
            if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("not a journal name (lower case words joined by '-'): " + name);
            }
        }

        /** A memory segment's journal: {@code off-switch-log} in schema {@code off_switch_log}. */
        public static Journal of(Part segment) {
            String name = Segment.journalName(segment);
            return new Journal(name, name.replace('-', '_'));
        }

        /**
         * A journal of the central system, named {@code central-<what>}, its tables in schema
         * {@value JournalStore#CENTRAL_SCHEMA} on PostgreSQL.
         */
        public static Journal central(String name) {
            if (!name.startsWith("central-")) {
                throw new IllegalArgumentException("a central system journal's name starts with 'central-': " + name);
            }
            return new Journal(name, CENTRAL_SCHEMA);
        }

        /** {@code off_switch_log}, {@code central_anchors}: the start of every table's name. */
        public String prefix() {
            return name.replace('-', '_');
        }

        public String journalPluginId() {
            return "hasm.journal." + name;
        }

        public String snapshotPluginId() {
            return "hasm.snapshot." + name;
        }

        public String queryPluginId() {
            return "hasm.query." + name;
        }

        public String journalTable() {
            return prefix() + "_journal";
        }

        public String tagTable() {
            return prefix() + "_tag";
        }

        public String snapshotTable() {
            return prefix() + "_snapshot";
        }
    }

    /**
     * The same store configuring one more journal of the central system ({@code central-<what>}, e.g.
     * {@code central-accounts}): plugins {@code hasm.journal.<name>}, {@code hasm.snapshot.<name>},
     * {@code hasm.query.<name>} on tables {@code <prefix>_journal}, {@code _tag}, {@code _snapshot}, in
     * schema {@value #CENTRAL_SCHEMA} on PostgreSQL. Already known names change nothing.
     */
    public JournalStore withCentralJournal(String name) {
        Journal.central(name); // checks the name
        if (centralJournals.contains(name)) {
            return this;
        }
        List<String> names = new ArrayList<>(centralJournals);
        names.add(name);
        return new JournalStore(dialect, url, credentials, dataDir, poolSize, bufferSize, names);
    }

    /** The names of the central system's journals this store configures ({@link #CENTRAL_JOURNALS} and any added). */
    public List<String> centralJournals() {
        return centralJournals;
    }

    /** Every journal this store configures: the six segments', then the central system's. */
    public List<Journal> journals() {
        List<Journal> all = new ArrayList<>();
        for (Part segment : segments()) {
            all.add(Journal.of(segment));
        }
        for (String name : centralJournals) {
            all.add(Journal.central(name));
        }
        return List.copyOf(all);
    }

    /** The six memory segments, in declaration order. */
    public static List<Part> segments() {
        List<Part> parts = new ArrayList<>(Part.ofKind(Part.Kind.SEGMENT));
        parts.sort(Comparator.naturalOrder());
        return parts;
    }

    /** {@code off_switch_log} for {@link Part#OffSwitchLog}: the PostgreSQL schema and the tables' prefix. */
    public static String prefix(Part segment) {
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        return Journal.of(segment).prefix();
    }

    /** The segment's schema: its prefix on PostgreSQL; empty (H2's PUBLIC) on H2. */
    public String schema(Part segment) {
        return schema(Journal.of(segment));
    }

    /** The journal's schema in this store: {@link Journal#schema()} on PostgreSQL; empty (H2's PUBLIC) on H2. */
    public String schema(Journal journal) {
        return dialect == Dialect.POSTGRES ? journal.schema() : "";
    }

    public static String journalTable(Part segment) {
        return prefix(segment) + "_journal";
    }

    public static String tagTable(Part segment) {
        return prefix(segment) + "_tag";
    }

    public static String snapshotTable(Part segment) {
        return prefix(segment) + "_snapshot";
    }

    /** A table of the segment as SQL names it: {@code "off_switch_log_journal"} on H2, {@code off_switch_log.off_switch_log_journal} on PostgreSQL. */
    public String qualified(Part segment, String table) {
        return qualified(Journal.of(segment), table);
    }

    /** A table of the journal as SQL names it: {@code PUBLIC."central_anchors_journal"} on H2, {@code central.central_anchors_journal} on PostgreSQL. */
    public String qualified(Journal journal, String table) {
        return SchemaCreator.qualified(dialect, schema(journal), table);
    }

    public static String snapshotPluginId(Part segment) {
        return Segment.snapshotPluginId(segment);
    }

    public static String queryPluginId(Part segment) {
        return Journal.of(segment).queryPluginId();
    }

    /**
     * The configuration of the shared pool and of the plugins of every journal ({@link #journals()}: three
     * per segment, three per central-system journal), complete in itself (the plugins' defaults are copied
     * from pekko-persistence-jdbc's reference.conf, so nothing is left to resolve). Put it over the
     * application's configuration with {@link #applyTo(Config)}.
     */
    public Config config() {
        return PluginConfig.render(this, SharedPool.config(dialect, url, credentials, poolSize));
    }

    /**
     * {@link #config()} over {@code base}, whose settings for this store's plugin ids (e.g. the in-memory
     * defaults of {@code hasm.journal.<segment>} and {@code hasm.journal.central-anchors}) are dropped
     * first so that none of their keys leak into the JDBC plugins. Plugin ids of journals this store does
     * not know are left as {@code base} has them.
     */
    public Config applyTo(Config base) {
        return PluginConfig.applyTo(this, base);
    }

    /**
     * A plain JDBC connection to the store, for schema creation, checks and forensics outside the actor
     * system. Failures are explained in one line ({@link StorageException}).
     */
    public Connection connect() {
        if (dialect == Dialect.H2 && !isReadOnly()) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException | SecurityException e) {
                String reason = e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                        : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                        : DatabaseErrors.firstLine(e);
                throw new StorageException("cannot create the data directory " + dataDir + ": " + reason, e);
            }
        }
        Properties props = new Properties();
        props.setProperty("user", credentials.user());
        props.setProperty("password", credentials.password());
        if (dialect == Dialect.POSTGRES) {
            props.setProperty("connectTimeout", "10");
        }
        try {
            return DriverManager.getConnection(url, props);
        } catch (SQLException e) {
            throw DatabaseErrors.explain(this, e);
        }
    }

    /** What the store is, for messages: never the password. */
    public String describe() {
        return dialect == Dialect.H2
                ? "H2 database in " + dataDir
                : "PostgreSQL " + url + " as " + credentials.user();
    }

    @Override
    public String toString() {
        return "JournalStore[" + describe() + ", pool " + poolSize + ", bufferSize " + bufferSize + ", central journals "
                + centralJournals + "]";
    }
}

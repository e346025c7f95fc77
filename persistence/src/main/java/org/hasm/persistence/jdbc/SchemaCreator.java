package org.hasm.persistence.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.hasm.policy.Part;

/**
 * Creates the journal, tag and snapshot tables of the six segments and of the central system's journals
 * ({@link JournalStore#journals()}; on PostgreSQL also their schemas: one per segment, {@code central} for
 * the central system's) over plain JDBC, before the actor system starts. Idempotent: a journal whose three
 * tables exist is left alone, so a database prepared by a DBA needs no CREATE rights; otherwise its
 * statements (all {@code IF NOT EXISTS}) run one by one. On PostgreSQL they run in one transaction under an
 * advisory lock, so two processes starting at once do not race; H2 is opened by one process only.
 *
 * <p>The DDL follows pekko-persistence-jdbc 1.1.1's {@code schema/*-create-schema.sql} with every
 * table, index and constraint name prefixed by the journal ({@code off_switch_log_journal_ordering_idx},
 * {@code central_anchors_tag_journal_fk}): the shipped names are fixed, so several journals in one
 * database would collide. Three deliberate differences on H2: the payload columns are {@code VARBINARY}
 * instead of {@code BLOB} (H2 moves BLOBs over 256 bytes out of the row into its LOB store, a second write
 * per event), {@code ordering} has one unique index instead of two (the shipped script declares it
 * {@code UNIQUE} and adds a unique index as well), and its sequence caches {@link #H2_ORDERING_CACHE}
 * values. The durable-state table is not created: no journal uses it.
 */
public final class SchemaCreator {
    /** Key of the PostgreSQL advisory lock held while the DDL runs ("hasm" in ASCII). */
    static final long ADVISORY_LOCK = 0x6861736dL;
    /**
     * Values of the H2 {@code ordering} sequence handed out per durable write of the sequence. H2's default of
     * 32 made every 32nd insert commit the sequence on its own (with WRITE_DELAY=0 a chunk written to the
     * file): 6 % of a simulation's CPU. A crash skips at most this many values; ordering stays unique and
     * increasing, which is all the plugin's queries need.
     */
    static final int H2_ORDERING_CACHE = 10_000;

    private SchemaCreator() {
    }

    /**
     * Creates what is missing, for every journal of the store ({@link JournalStore#journals()}: the six
     * segments' and the central system's). Returns the names of the journals whose tables were created
     * (empty when all existed), e.g. {@code [off-switch-log, central-anchors]}.
     *
     * @throws StorageException with a one-line explanation when the database cannot be reached, refuses
     *         the credentials or the DDL.
     */
    public static List<String> create(JournalStore store) {
        try (Connection connection = store.connect()) {
            List<JournalStore.Journal> missing = new ArrayList<>();
            for (JournalStore.Journal journal : store.journals()) {
                if (!complete(connection, store, journal)) {
                    missing.add(journal);
                }
            }
            if (missing.isEmpty()) {
                return List.of();
            }
            boolean postgres = store.dialect() == JournalStore.Dialect.POSTGRES;
            connection.setAutoCommit(!postgres);
            try (Statement statement = connection.createStatement()) {
                if (postgres) {
                    statement.execute("SELECT pg_advisory_xact_lock(" + ADVISORY_LOCK + ")");
                }
                for (JournalStore.Journal journal : missing) {
                    for (String sql : statements(store, journal)) {
                        statement.execute(sql);
                    }
                }
                if (postgres) {
                    connection.commit();
                }
            } catch (SQLException e) {
                if (postgres) {
                    connection.rollback();
                }
                throw e;
            }
            return missing.stream().map(JournalStore.Journal::name).toList();
        } catch (SQLException e) {
            throw DatabaseErrors.explain(store, e);
        }
    }

    /** Whether the segment's journal, tag and snapshot tables all exist. */
    public static boolean complete(Connection connection, JournalStore store, Part segment) throws SQLException {
        return complete(connection, store, JournalStore.Journal.of(segment));
    }

    /** Whether the journal's journal, tag and snapshot tables all exist. */
    public static boolean complete(Connection connection, JournalStore store, JournalStore.Journal journal)
            throws SQLException {
        return exists(connection, store, journal, journal.journalTable())
                && exists(connection, store, journal, journal.tagTable())
                && exists(connection, store, journal, journal.snapshotTable());
    }

    private static boolean exists(Connection connection, JournalStore store, JournalStore.Journal journal,
            String table) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String schema = store.dialect() == JournalStore.Dialect.H2 ? "PUBLIC" : store.schema(journal);
        try (ResultSet tables = meta.getTables(null, schema, table, new String[] {"TABLE"})) {
            return tables.next();
        }
    }

    /** The DDL of one segment, one statement per element. */
    public static List<String> statements(JournalStore store, Part segment) {
        return statements(store, JournalStore.Journal.of(segment));
    }

    /** The DDL of one journal (a segment's or the central system's), one statement per element. */
    public static List<String> statements(JournalStore store, JournalStore.Journal journal) {
        return statements(store.dialect(), store.schema(journal), journal.prefix());
    }

    /**
     * The DDL of one set of journal, tag and snapshot tables named {@code <prefix>_journal},
     * {@code <prefix>_tag} and {@code <prefix>_snapshot}, in {@code schema} (empty: H2's PUBLIC; on
     * PostgreSQL the schema is created too). Public for benchmarks that need the same layout.
     */
    public static List<String> statements(JournalStore.Dialect dialect, String schema, String prefix) {
        requireIdentifier(prefix);
        if (!schema.isEmpty()) {
            requireIdentifier(schema);
        }
        String journal = qualified(dialect, schema, prefix + "_journal");
        String tag = qualified(dialect, schema, prefix + "_tag");
        String snapshot = qualified(dialect, schema, prefix + "_snapshot");
        List<String> ddl = new ArrayList<>();
        if (dialect == JournalStore.Dialect.H2) {
            ddl.addAll(h2JournalAndTag(prefix, journal, tag));
            ddl.add(h2Snapshot(prefix, snapshot));
        } else {
            if (!schema.isEmpty()) {
                ddl.add("CREATE SCHEMA IF NOT EXISTS " + schema);
            }
            ddl.addAll(postgresJournalAndTag(prefix, journal, tag));
            ddl.add(postgresSnapshot(prefix, snapshot));
        }
        return List.copyOf(ddl);
    }

    /** H2: the journal table, {@code ordering} unique by its constraint alone, and the tag table. */
    private static List<String> h2JournalAndTag(String prefix, String journal, String tag) {
        return List.of("CREATE TABLE IF NOT EXISTS " + journal + " ("
                + "\"ordering\" BIGINT GENERATED BY DEFAULT AS IDENTITY (CACHE " + H2_ORDERING_CACHE + ") NOT NULL, "
                + "\"deleted\" BOOLEAN DEFAULT FALSE NOT NULL, "
                + "\"persistence_id\" VARCHAR(255) NOT NULL, "
                + "\"sequence_number\" BIGINT NOT NULL, "
                + "\"writer\" VARCHAR NOT NULL, "
                + "\"write_timestamp\" BIGINT NOT NULL, "
                + "\"adapter_manifest\" VARCHAR NOT NULL, "
                + "\"event_payload\" VARBINARY NOT NULL, "
                + "\"event_ser_id\" INTEGER NOT NULL, "
                + "\"event_ser_manifest\" VARCHAR NOT NULL, "
                + "\"meta_payload\" VARBINARY, "
                + "\"meta_ser_id\" INTEGER, "
                + "\"meta_ser_manifest\" VARCHAR, "
                + "CONSTRAINT " + h2Quote(prefix + "_journal_pk") + " PRIMARY KEY (\"persistence_id\", \"sequence_number\"), "
                + "CONSTRAINT " + h2Quote(prefix + "_journal_ordering_idx") + " UNIQUE (\"ordering\"))",
                "CREATE TABLE IF NOT EXISTS " + tag + " ("
                + "\"event_id\" BIGINT NOT NULL, "
                + "\"tag\" VARCHAR NOT NULL, "
                + "CONSTRAINT " + h2Quote(prefix + "_tag_pk") + " PRIMARY KEY (\"event_id\", \"tag\"), "
                + "CONSTRAINT " + h2Quote(prefix + "_tag_journal_fk") + " FOREIGN KEY (\"event_id\") "
                + "REFERENCES " + journal + " (\"ordering\") ON DELETE CASCADE)");
    }

    /** H2: the snapshot table. */
    private static String h2Snapshot(String prefix, String snapshot) {
        return "CREATE TABLE IF NOT EXISTS " + snapshot + " ("
                + "\"persistence_id\" VARCHAR(255) NOT NULL, "
                + "\"sequence_number\" BIGINT NOT NULL, "
                + "\"created\" BIGINT NOT NULL, "
                + "\"snapshot_ser_id\" INTEGER NOT NULL, "
                + "\"snapshot_ser_manifest\" VARCHAR NOT NULL, "
                + "\"snapshot_payload\" VARBINARY NOT NULL, "
                + "\"meta_ser_id\" INTEGER, "
                + "\"meta_ser_manifest\" VARCHAR, "
                + "\"meta_payload\" VARBINARY, "
                + "CONSTRAINT " + h2Quote(prefix + "_snapshot_pk") + " PRIMARY KEY (\"persistence_id\", \"sequence_number\"))";
    }

    /** PostgreSQL: the journal table, its unique {@code ordering} index and the tag table. */
    private static List<String> postgresJournalAndTag(String prefix, String journal, String tag) {
        return List.of("CREATE TABLE IF NOT EXISTS " + journal + " ("
                + "ordering BIGSERIAL, "
                + "persistence_id VARCHAR(255) NOT NULL, "
                + "sequence_number BIGINT NOT NULL, "
                + "deleted BOOLEAN DEFAULT FALSE NOT NULL, "
                + "writer VARCHAR(255) NOT NULL, "
                + "write_timestamp BIGINT, "
                + "adapter_manifest VARCHAR(255), "
                + "event_ser_id INTEGER NOT NULL, "
                + "event_ser_manifest VARCHAR(255) NOT NULL, "
                + "event_payload BYTEA NOT NULL, "
                + "meta_ser_id INTEGER, "
                + "meta_ser_manifest VARCHAR(255), "
                + "meta_payload BYTEA, "
                + "CONSTRAINT " + prefix + "_journal_pk PRIMARY KEY (persistence_id, sequence_number))",
                // a plain CREATE INDEX on the new, empty table; CONCURRENTLY could not run in the transaction
                "CREATE UNIQUE INDEX IF NOT EXISTS " + prefix + "_journal_ordering_idx ON " + journal + " (ordering)",
                "CREATE TABLE IF NOT EXISTS " + tag + " ("
                + "event_id BIGINT, "
                + "tag VARCHAR(256), "
                + "CONSTRAINT " + prefix + "_tag_pk PRIMARY KEY (event_id, tag), "
                + "CONSTRAINT " + prefix + "_tag_journal_fk FOREIGN KEY (event_id) REFERENCES " + journal
                + " (ordering) ON DELETE CASCADE)");
    }

    /** PostgreSQL: the snapshot table. */
    private static String postgresSnapshot(String prefix, String snapshot) {
        return "CREATE TABLE IF NOT EXISTS " + snapshot + " ("
                + "persistence_id VARCHAR(255) NOT NULL, "
                + "sequence_number BIGINT NOT NULL, "
                + "created BIGINT NOT NULL, "
                + "snapshot_ser_id INTEGER NOT NULL, "
                + "snapshot_ser_manifest VARCHAR(255) NOT NULL, "
                + "snapshot_payload BYTEA NOT NULL, "
                + "meta_ser_id INTEGER, "
                + "meta_ser_manifest VARCHAR(255), "
                + "meta_payload BYTEA, "
                + "CONSTRAINT " + prefix + "_snapshot_pk PRIMARY KEY (persistence_id, sequence_number))";
    }

    /** A table name as the DDL and the checks write it. */
    static String qualified(JournalStore.Dialect dialect, String schema, String table) {
        if (dialect == JournalStore.Dialect.H2) {
            return (schema.isEmpty() ? "PUBLIC" : quote(dialect, schema)) + "." + quote(dialect, table);
        }
        return schema.isEmpty() ? table : schema + "." + table;
    }

    /** H2 folds unquoted names to upper case, and Slick quotes the lower-case names it is configured with. */
    private static String quote(JournalStore.Dialect dialect, String name) {
        return dialect == JournalStore.Dialect.H2 ? h2Quote(name) : name;
    }

    private static String h2Quote(String name) {
        return "\"" + name + "\"";
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]*") || name.length() > 40) {
            throw new IllegalArgumentException("not a plain lower-case SQL name: " + name.toLowerCase(Locale.ROOT));
        }
    }
}

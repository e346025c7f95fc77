package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

/** The configuration JournalStore produces (without a database), and what its read-only form refuses. */
class JournalStoreTest {

    /**
     * Housekeeping compacts the file; on a file opened read-only that fails and H2 closes the database under the
     * replay reading it (seen on a central node's uncompacted file). So a read-only store does not load it.
     */
    @Test
    void onlyAWritableH2StoreLoadsHousekeeping() {
        JournalStore store = JournalStore.h2(Path.of("/tmp/hasm-housekeeping-config"));
        String housekeeping = H2Housekeeping.class.getName();
        assertTrue(store.config().getStringList("pekko.extensions").contains(housekeeping));
        Config readOnly = store.readOnly().config();
        assertFalse(readOnly.hasPath("pekko.extensions") && readOnly.getStringList("pekko.extensions").contains(housekeeping));
    }

    @Test
    void postgresUrlsGetBatchedInsertsUnlessTheyChoseThemselves() {
        assertEquals("jdbc:postgresql://db:5432/hasm?reWriteBatchedInserts=true",
                JournalStore.postgres("jdbc:postgresql://db:5432/hasm", "u", "p").jdbcUrl());
        assertEquals("jdbc:postgresql://db/hasm?ssl=true&reWriteBatchedInserts=true",
                JournalStore.postgres("jdbc:postgresql://db/hasm?ssl=true", "u", "p").jdbcUrl());
        assertEquals("jdbc:postgresql://db/hasm?reWriteBatchedInserts=false",
                JournalStore.postgres("jdbc:postgresql://db/hasm?reWriteBatchedInserts=false", "u", "p").jdbcUrl());
    }

    @Test
    void onlyPostgresUrlsAreTaken() {
        StorageException e = assertThrows(StorageException.class,
                () -> JournalStore.postgres("jdbc:mysql://db/hasm", "u", "p"));
        assertEquals("not a PostgreSQL JDBC URL: 'jdbc:mysql://db/hasm' (expected e.g. jdbc:postgresql://localhost:5432/hasm)",
                e.getMessage());
    }

    @Test
    void credentialsComeFromTheEnvironmentAndTheirAbsenceIsNamed() {
        JournalStore store = JournalStore.fromEnvironment("jdbc:postgresql://db/hasm",
                Map.of("HASM_DB_USER", "meter", "HASM_DB_PASSWORD", "pw"));
        assertEquals("meter", store.user());
        assertEquals("PostgreSQL credentials come from the environment: set HASM_DB_USER and HASM_DB_PASSWORD"
                        + " (missing: HASM_DB_USER, HASM_DB_PASSWORD)",
                assertThrows(StorageException.class,
                        () -> JournalStore.fromEnvironment("jdbc:postgresql://db/hasm", Map.of())).getMessage());
        assertTrue(assertThrows(StorageException.class, () -> JournalStore.fromEnvironment("jdbc:postgresql://db/hasm",
                Map.of("HASM_DB_USER", "meter"))).getMessage().endsWith("(missing: HASM_DB_PASSWORD)"));
    }

    @Test
    void thePasswordIsNeverShown() {
        JournalStore store = JournalStore.postgres("jdbc:postgresql://db/hasm", "meter", "topsecret");
        assertFalse(store.toString().contains("topsecret"), store.toString());
        assertFalse(store.describe().contains("topsecret"));
    }

    @Test
    void namesFollowTheSegment() {
        assertEquals("off_switch_log", JournalStore.prefix(Part.OffSwitchLog));
        assertEquals("operational_parameters_journal", JournalStore.journalTable(Part.OperationalParameters));
        assertEquals("hasm.snapshot.credit-store", JournalStore.snapshotPluginId(Part.CreditStore));
        assertEquals("hasm.query.metrology-log", JournalStore.queryPluginId(Part.MetrologyLog));
        assertEquals(6, JournalStore.segments().size());
        assertThrows(IllegalArgumentException.class, () -> JournalStore.prefix(Part.CsSecurity));
        JournalStore postgres = JournalStore.postgres("jdbc:postgresql://db/hasm", "u", "p");
        assertEquals("security_log.security_log_tag", postgres.qualified(Part.SecurityLog, JournalStore.tagTable(Part.SecurityLog)));
        assertEquals("PUBLIC.\"security_log_tag\"", JournalStore.h2(Path.of("x"))
                .qualified(Part.SecurityLog, JournalStore.tagTable(Part.SecurityLog)));
    }

    @Test
    void h2AddsItsHousekeepingToTheApplicationsExtensions() {
        Config base = ConfigFactory.parseString("pekko.extensions = [\"com.example.Mine\"]").withFallback(ConfigFactory.load());
        assertEquals(List.of("com.example.Mine", H2Housekeeping.class.getName()),
                JournalStore.h2(Path.of("data")).applyTo(base).getStringList("pekko.extensions"));
        assertEquals(List.of("com.example.Mine"),
                JournalStore.postgres("jdbc:postgresql://db/hasm", "u", "p").applyTo(base).getStringList("pekko.extensions"));
    }

    @Test
    void theOverrideReplacesTheInMemoryJournalsWithoutInheritingTheirSettings() {
        Config base = ConfigFactory.load();
        assertEquals("org.apache.pekko.persistence.journal.inmem.InmemJournal",
                base.getString("hasm.journal.tariffs.class"), "unit tests keep the in-memory default");
        Config config = JournalStore.h2(Path.of("data")).withPoolSize(12).applyTo(base);
        for (Part segment : JournalStore.segments()) {
            Config journal = config.getConfig(Segment.journalPluginId(segment));
            assertEquals("org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal", journal.getString("class"));
            assertEquals(JournalStore.PLUGIN_DISPATCHER, journal.getString("plugin-dispatcher"));
            assertEquals(JournalStore.PARALLELISM, journal.getInt("parallelism"));
            assertEquals(400, journal.getInt("batchSize"), "the plugin's default");
            assertFalse(journal.hasPath("test-serialization"), "nothing of the in-memory journal is left");
            assertEquals("org.apache.pekko.persistence.jdbc.snapshot.JdbcSnapshotStore",
                    config.getString(JournalStore.snapshotPluginId(segment) + ".class"));
            assertEquals(Segment.journalPluginId(segment),
                    config.getString(JournalStore.queryPluginId(segment) + ".write-plugin"));
        }
        Config pool = config.getConfig("pekko-persistence-jdbc.shared-databases.hasm");
        assertEquals("slick.jdbc.H2Profile$", pool.getString("profile"));
        assertEquals(List.of(12, 12, 12), List.of(pool.getInt("db.numThreads"), pool.getInt("db.maxConnections"),
                pool.getInt("db.minConnections")));
        assertTrue(pool.getString("db.url").startsWith("jdbc:h2:file:" + Path.of("data").toAbsolutePath()));
        assertEquals("jackson-cbor", config.getString("pekko.actor.serialization-bindings.\"org.hasm.persistence.JournalSerializable\""),
                "the rest of the application's configuration stays");
        Config anchors = config.getConfig("hasm.journal.central-anchors");
        assertEquals("org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal", anchors.getString("class"),
                "the central system's anchor journal is durable too");
        assertFalse(anchors.hasPath("test-serialization"), "nothing of an in-memory journal is left");
        Config withOtherJournal = ConfigFactory.parseString(
                "hasm.journal.somebody-else = ${pekko.persistence.journal.inmem}").withFallback(base).resolve();
        assertEquals("org.apache.pekko.persistence.journal.inmem.InmemJournal",
                JournalStore.h2(Path.of("data")).applyTo(withOtherJournal).getString("hasm.journal.somebody-else.class"),
                "journals the store does not know are left alone");
    }

    @Test
    void theCentralSystemsJournalsHaveTablesOfTheirOwnInSchemaCentral() {
        JournalStore.Journal anchors = JournalStore.Journal.central(JournalStore.CENTRAL_ANCHORS);
        assertEquals("central_anchors", anchors.prefix());
        assertEquals("hasm.journal.central-anchors", anchors.journalPluginId());
        assertEquals("hasm.snapshot.central-anchors", anchors.snapshotPluginId());
        assertEquals("hasm.query.central-anchors", anchors.queryPluginId());
        assertEquals("central_anchors_journal", anchors.journalTable());
        JournalStore postgres = JournalStore.postgres("jdbc:postgresql://db/hasm", "u", "p");
        assertEquals("central.central_anchors_journal", postgres.qualified(anchors, anchors.journalTable()));
        JournalStore h2 = JournalStore.h2(Path.of("x"));
        assertEquals("PUBLIC.\"central_anchors_snapshot\"", h2.qualified(anchors, anchors.snapshotTable()));
        assertEquals(List.of("central-anchors", "central-accounts", "central-operator", "central-alerts"), h2.centralJournals());
        assertEquals(10, h2.journals().size());

        JournalStore more = h2.withCentralJournal("central-extra").withPoolSize(5);
        assertEquals(List.of("central-anchors", "central-accounts", "central-operator", "central-alerts", "central-extra"), more.centralJournals());
        assertSame(more, more.withCentralJournal("central-extra"), "known names change nothing");
        Config config = more.applyTo(ConfigFactory.load());
        assertEquals("central_accounts_journal", config.getString("hasm.journal.central-accounts.tables.event_journal.tableName"));
        assertEquals("central_operator_snapshot", config.getString("hasm.snapshot.central-operator.tables.snapshot.tableName"));
        assertEquals("central_extra_journal", config.getString("hasm.journal.central-extra.tables.event_journal.tableName"));
        assertEquals("hasm.journal.central-extra", config.getString("hasm.query.central-extra.write-plugin"));
        assertEquals("central.central_accounts_tag", postgres
                .qualified(JournalStore.Journal.central("central-accounts"), "central_accounts_tag"));

        assertThrows(IllegalArgumentException.class, () -> h2.withCentralJournal("accounts"), "central- names only");
        assertThrows(IllegalArgumentException.class, () -> h2.withCentralJournal("central-Accounts; DROP"));
        assertThrows(IllegalArgumentException.class, () -> JournalStore.Journal.central("central_accounts"));
    }

    @Test
    void aReadOnlyH2StoreReadsButRefusesEveryWrite(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        JournalStore store = JournalStore.h2(dir);
        try (java.sql.Connection c = store.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (x INT)");
            s.execute("INSERT INTO t VALUES (1)");
        }
        JournalStore readOnly = store.readOnly();
        assertTrue(readOnly.isReadOnly());
        assertFalse(store.isReadOnly());
        try (java.sql.Connection c = readOnly.connect(); java.sql.Statement s = c.createStatement()) {
            try (java.sql.ResultSet r = s.executeQuery("SELECT x FROM t")) {
                assertTrue(r.next());
                assertEquals(1, r.getInt(1));
            }
            assertThrows(java.sql.SQLException.class, () -> s.execute("INSERT INTO t VALUES (2)"));
        }
    }
}

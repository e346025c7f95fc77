package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The configuration JournalStore produces, without any database. */
class JournalStoreTest {

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
        Config withOtherJournal = ConfigFactory.parseString(
                "hasm.journal.central-anchors = ${pekko.persistence.journal.inmem}").withFallback(base).resolve();
        assertEquals("org.apache.pekko.persistence.journal.inmem.InmemJournal",
                JournalStore.h2(Path.of("data")).applyTo(withOtherJournal).getString("hasm.journal.central-anchors.class"),
                "journals other than the six segments' are left alone");
    }
}

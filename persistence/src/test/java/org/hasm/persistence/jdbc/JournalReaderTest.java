package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The verifying commands' reads, on an H2 store opened read-only as they open it. */
class JournalReaderTest {
    private static final String ACCOUNT = "MeterAccount|";
    private Path dir;
    private JournalStore store;

    @BeforeEach
    void store() throws IOException, SQLException {
        dir = Files.createTempDirectory("hasm-reader-");
        store = JournalStore.h2(dir.resolve("data"));
        SchemaCreator.create(store);
        try (Connection c = store.connect()) {
            String metrology = store.qualified(Part.MetrologyLog, JournalStore.journalTable(Part.MetrologyLog));
            insert(c, metrology, "metrology-log|m-2", 1, false, "E");
            insert(c, metrology, "metrology-log|m-1", 2, false, "E");
            insert(c, metrology, "metrology-log|m-1", 1, false, "E");
            insert(c, metrology, "metrology-log|m-1", 3, true, "E");
            JournalStore.Journal accounts = JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS);
            String central = store.qualified(accounts, accounts.journalTable());
            insert(c, central, ACCOUNT + "m-1", 1, false, "Anchor");
            insert(c, central, ACCOUNT + "m-1", 2, true, "Refused");
        }
    }

    @AfterEach
    void delete() throws IOException {
        TestDatabases.deleteRecursively(dir);
    }

    private static void insert(Connection c, String table, String pid, long seq, boolean deleted, String manifest) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + table + " (\"deleted\", \"persistence_id\", \"sequence_number\", "
                + "\"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\") "
                + "VALUES (?, ?, ?, 'w', 0, '', ?, 1, ?)")) {
            p.setBoolean(1, deleted);
            p.setString(2, pid);
            p.setLong(3, seq);
            p.setBytes(4, new byte[] {(byte) seq});
            p.setString(5, manifest);
            p.executeUpdate();
        }
    }

    @Test
    void countsRowsOfTheMetersAskedForOrOfAll() throws SQLException {
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            assertEquals(4, reader.countSegmentRows(Part.MetrologyLog, Set.of()));
            assertEquals(3, reader.countSegmentRows(Part.MetrologyLog, Set.of("m-1")));
            assertEquals(0, reader.countSegmentRows(Part.SecurityLog, Set.of()));
            assertEquals(2, reader.countCentralRows(JournalStore.CENTRAL_ACCOUNTS, Set.of("m-1", "m-2"), ACCOUNT));
        }
    }

    @Test
    void streamsSegmentRowsInKeyOrderWithoutTheDeletedOnes() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            reader.segmentRows(Part.MetrologyLog, Set.of(), (pid, seq, payload) -> {
                assertArrayEquals(new byte[] {(byte) seq}, payload);
                rows.add(pid + " " + seq);
            });
        }
        assertEquals(List.of("metrology-log|m-1 1", "metrology-log|m-1 2", "metrology-log|m-2 1"), rows);
        assertEquals(Segment.journalName(Part.MetrologyLog) + "|", JournalReader.segmentPrefix(Part.MetrologyLog));
    }

    @Test
    void streamsCentralRowsWithTheirManifestsDeletedOnesToo() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            reader.centralRows(JournalStore.CENTRAL_ACCOUNTS, Set.of("m-1"), ACCOUNT,
                    (pid, seq, deleted, manifest, payload) -> rows.add(pid + " " + seq + " " + deleted + " " + manifest));
        }
        assertEquals(List.of(ACCOUNT + "m-1 1 false Anchor", ACCOUNT + "m-1 2 true Refused"), rows);
    }

    @Test
    void namesTheIdsWithoutARow() throws SQLException {
        try (JournalReader reader = JournalReader.open(store.readOnly())) {
            assertEquals(Set.of("m-2", "m-3"), reader.withoutCentralRows(JournalStore.CENTRAL_ACCOUNTS, ACCOUNT, Set.of("m-1", "m-2", "m-3")));
            assertEquals(Set.of("m-3"), reader.withoutSegmentRows(Part.MetrologyLog, Set.of("m-1", "m-2", "m-3")));
        }
    }
}

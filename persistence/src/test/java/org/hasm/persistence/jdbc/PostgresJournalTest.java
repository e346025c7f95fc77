package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

/**
 * The journal contract on a real PostgreSQL (io.zonky embedded binaries, run as an unprivileged user even
 * when the build runs as root: zonky starts initdb and postgres under {@code unshare -U} then), with fsync
 * and synchronous commit on, and a password-checked, non-superuser owner of the database as in production.
 */
class PostgresJournalTest extends JournalContract {
    private static final String USER = TestDatabases.USER;
    private static final String PASSWORD = TestDatabases.PASSWORD;

    private EmbeddedPostgres postgres;

    private static String url(EmbeddedPostgres pg) {
        return TestDatabases.url(pg);
    }

    @Override
    protected JournalStore startDatabase() throws IOException {
        postgres = TestDatabases.startPostgres();
        return TestDatabases.postgresStore(postgres);
    }

    @Override
    protected void stopDatabase() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void theServerReallyWritesThrough() throws SQLException {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit"}) {
                try (ResultSet r = s.executeQuery("SHOW " + setting)) {
                    r.next();
                    assertEquals("on", r.getString(1), setting);
                }
            }
            try (ResultSet r = s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
                r.next();
                assertFalse(r.getBoolean(1), "the journals need no superuser");
            }
        }
        assertTrue(store.jdbcUrl().endsWith("?reWriteBatchedInserts=true"), store.jdbcUrl());
    }

    @Test
    void eachSegmentHasItsOwnSchemaAndTheCentralSystemOneOfItsOwn() throws SQLException {
        try (Connection c = store.connect()) {
            for (Part segment : JournalStore.segments()) {
                for (String table : new String[] {JournalStore.journalTable(segment), JournalStore.tagTable(segment),
                        JournalStore.snapshotTable(segment)}) {
                    try (ResultSet r = c.getMetaData().getTables(null, JournalStore.prefix(segment), table, null)) {
                        assertTrue(r.next(), JournalStore.prefix(segment) + "." + table);
                    }
                }
            }
            JournalStore.Journal anchors = JournalStore.Journal.central(JournalStore.CENTRAL_ANCHORS);
            for (String table : new String[] {anchors.journalTable(), anchors.tagTable(), anchors.snapshotTable()}) {
                try (ResultSet r = c.getMetaData().getTables(null, JournalStore.CENTRAL_SCHEMA, table, null)) {
                    assertTrue(r.next(), "the central system's schema holds " + table);
                }
            }
        }
    }

    @Test
    void aWrongPasswordIsExplainedInOneLine() {
        StorageException e = assertThrows(StorageException.class,
                () -> SchemaCreator.create(JournalStore.postgres(url(postgres), USER, "wrong")));
        assertTrue(e.getMessage().startsWith("PostgreSQL refused user 'hasm' at " + url(postgres)
                + "?reWriteBatchedInserts=true (check HASM_DB_USER and HASM_DB_PASSWORD)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "no password in messages");
    }

    @Test
    void anUnreachableServerIsExplainedInOneLine() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closed + "/hasm";
        StorageException e = assertThrows(StorageException.class,
                () -> SchemaCreator.create(JournalStore.postgres(url, USER, PASSWORD)));
        assertTrue(e.getMessage().startsWith("cannot reach PostgreSQL at " + url), e.getMessage());
        assertTrue(e.getMessage().endsWith("(is the server running, and is the --db URL right?)"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}

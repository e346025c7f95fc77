package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;

/** The journal contract on an H2 file database in a temporary directory. */
class H2JournalTest extends JournalContract {
    private Path dir;

    @Override
    protected JournalStore startDatabase() throws IOException {
        dir = Files.createTempDirectory("hasm-h2-");
        return JournalStore.h2(dir.resolve("data"));
    }

    @Override
    protected void stopDatabase() throws IOException {
        TestDatabases.deleteRecursively(dir);
    }

    @Test
    void theDatabaseIsAFileInTheDataDirectory() {
        assertTrue(Files.exists(store.dataDir().resolve(JournalStore.H2_DATABASE_NAME + ".mv.db")));
        assertTrue(store.jdbcUrl().contains("WRITE_DELAY=0"), "a confirmed entry is in the file, not in a buffer");
        assertFalse(store.jdbcUrl().contains("AUTO_SERVER"), "no TCP port onto the logs");
    }

    @Test
    void theFileIsKeptCompactWhileTheActorSystemRuns() {
        ActorTestKit kit = ActorTestKit.create("h2-housekeeping", store.applyTo(ConfigFactory.load()));
        try {
            H2Housekeeping.Running housekeeping = H2Housekeeping.INSTANCE.get(Adapter.toClassic(kit.system()));
            assertTrue(housekeeping.active(), "WRITE_DELAY=0 leaves H2 without its own housekeeping");
            kit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
                assertTrue(housekeeping.rounds() > 0);
                return null;
            });
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aDatabaseMadeWithOtherCredentialsIsExplainedInOneLine() throws SQLException {
        Path other = dir.resolve("other");
        try (Connection c = DriverManager.getConnection(
                "jdbc:h2:file:" + other.resolve(JournalStore.H2_DATABASE_NAME).toAbsolutePath(), "someone", "else")) {
            c.createStatement().execute("CREATE TABLE t(x INT)");
        }
        StorageException e = assertThrows(StorageException.class, () -> SchemaCreator.create(JournalStore.h2(other)));
        assertEquals("the H2 database in " + other.toAbsolutePath() + " was created with other credentials than hasm's",
                e.getMessage());
    }

    @Test
    void aDataDirectoryThatCannotBeCreatedIsExplainedInOneLine() throws IOException {
        Path file = Files.createFile(dir.resolve("a-file"));
        StorageException e = assertThrows(StorageException.class, () -> SchemaCreator.create(JournalStore.h2(file)));
        assertEquals("cannot create the data directory " + file + ": a file of that name is in the way", e.getMessage());
        e = assertThrows(StorageException.class, () -> SchemaCreator.create(JournalStore.h2(file.resolve("data"))));
        assertEquals("cannot create the data directory " + file.resolve("data") + ": Not a directory", e.getMessage());
    }
}

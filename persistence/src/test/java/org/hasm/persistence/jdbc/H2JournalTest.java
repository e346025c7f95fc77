package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentPort;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /** Writes entries one commit each, so that the file fills with dead chunks. */
    private static void writeOneByOne(ActorTestKit kit, String meter, int entries) {
        TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentCommand> port = kit.spawn(SegmentPort.create(Part.SecurityLog, meter, owner.getRef()::tell));
        port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
        for (int i = 1; i <= entries; i++) {
            port.tell(new AppendEntry(i, "event", "entry " + i, i));
            assertInstanceOf(Persisted.class, owner.receiveMessage());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFileIsCompactedAfterTheActorSystemAndKeepsEveryEntry() throws Exception {
        JournalStore own = JournalStore.h2(dir.resolve("compacted"));
        SchemaCreator.create(own);
        Path file = own.dataDir().resolve(JournalStore.H2_DATABASE_NAME + ".mv.db");
        String meter = "compacted";
        long running;
        ActorTestKit kit = ActorTestKit.create("h2-compact", own.applyTo(ConfigFactory.load()));
        try {
            writeOneByOne(kit, meter, 300);
            running = Files.size(file);
        } finally {
            kit.shutdownTestKit();
        }
        long closed = Files.size(file);
        H2Housekeeping.Compacted compacted = H2Housekeeping.compactFile(own).orElseThrow();
        assertEquals(closed, compacted.bytesBefore());
        assertEquals(Files.size(file), compacted.bytesAfter());
        assertTrue(compacted.bytesAfter() <= closed && compacted.bytesAfter() * 4 < running, "300 single-entry commits: "
                + running + " bytes while running, " + closed + " closed, " + compacted.bytesAfter() + " compacted");

        ActorTestKit again = ActorTestKit.create("h2-compact-again", own.applyTo(ConfigFactory.load()));
        try {
            TestProbe<PolicyMessage> owner = again.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> port = again.spawn(SegmentPort.create(Part.SecurityLog, meter, owner.getRef()::tell));
            port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
            port.tell(new ReadSegment(1));
            assertEquals(300, assertInstanceOf(SegmentContents.class, owner.receiveMessage()).entries());
            writeOneByOne(again, "after-compaction", 2);
        } finally {
            again.shutdownTestKit();
        }
        assertEquals(java.util.Optional.empty(), H2Housekeeping.compactFile(JournalStore.postgres("jdbc:postgresql://nowhere/x", "u", "p")),
                "nothing to compact on PostgreSQL");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFileIsNotCompactedUnderARunningActorSystem() throws Exception {
        JournalStore own = JournalStore.h2(dir.resolve("in-use"));
        SchemaCreator.create(own);
        ActorTestKit running = ActorTestKit.create("h2-in-use", own.applyTo(ConfigFactory.load()));
        try {
            writeOneByOne(running, "before", 1);
            assertEquals(java.util.Optional.empty(), H2Housekeeping.compactFile(own), "the database is in use");
            writeOneByOne(running, "after", 3);
        } finally {
            running.shutdownTestKit();
        }
        assertTrue(H2Housekeeping.compactFile(own).isPresent());
    }
}

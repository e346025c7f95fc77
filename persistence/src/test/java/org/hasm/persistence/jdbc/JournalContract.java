package org.hasm.persistence.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.hasm.persistence.Segment;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages.StoreCredit;
import org.hasm.persistence.SegmentMessages.StoreParameters;
import org.hasm.persistence.SegmentMessages.StoreTariffs;
import org.hasm.persistence.SegmentPort;
import org.hasm.persistence.SegmentQuota;
import org.hasm.persistence.SegmentMessages;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What every journal database must do; {@link H2JournalTest} and {@link PostgresJournalTest} run this same
 * body against H2 and a real PostgreSQL. Every test starts its own actor systems and stops them, and closes
 * its JDBC connections, so on H2 the database file is really closed and reopened between two systems.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JournalContract {
    /** Meters writing at once in the load test (DESIGN: 10,000+ meters per process). */
    static final int METERS_AT_ONCE = 10_000;

    protected JournalStore store;

    /** Starts the database (if it is a server) and says how to reach it. */
    protected abstract JournalStore startDatabase() throws Exception;

    protected abstract void stopDatabase() throws Exception;

    @BeforeAll
    void startAndCreateSchema() throws Exception {
        store = startDatabase();
        SchemaCreator.create(store);
    }

    @AfterAll
    void stop() throws Exception {
        stopDatabase();
    }

    private ActorTestKit actorSystem(String name) {
        return ActorTestKit.create(name, store.applyTo(ConfigFactory.load()));
    }

    /** A port outside any kernel: its channel to itself is just its reference. */
    private static ActorRef<SegmentCommand> port(ActorTestKit kit, Part segment, String meterId,
            TestProbe<PolicyMessage> owner) {
        ActorRef<SegmentCommand> port = kit.spawn(SegmentPort.create(segment, meterId, owner.getRef()::tell));
        port.tell(new PortWiring(m -> port.tell((SegmentCommand) m)));
        return port;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void acknowledgedEntriesReleasedForTheQuotaAreDeletedAndTheSegmentRecoversAfterThem() throws Exception {
        String meter = "release-" + System.nanoTime();
        SegmentQuota quota = new SegmentQuota(1_500, 100); // releases once 1,400 entries are stored
        ActorTestKit first = actorSystem("release-before");
        try {
            TestProbe<PolicyMessage> owner = first.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = first.spawn(SegmentPort.create(Part.MetrologyLog, meter, quota, owner.getRef()::tell));
            log.tell(new PortWiring(m -> log.tell((SegmentCommand) m)));
            for (int i = 1; i <= 1_100; i++) {
                log.tell(new AppendEntry(i, "reading", "r" + i, i));
            }
            log.tell(new SegmentMessages.RecordAcknowledgement(1_101, 1_100, 1_101));
            for (int i = 1_102; i <= 1_400; i++) {
                log.tell(new AppendEntry(i, "reading", "r" + i, i));
            }
            // Entry 1,400 fills the segment to its threshold, so entry 1,401 releases up to the snapshot at 1,000.
            owner.receiveSeveralMessages(1_400, Duration.ofSeconds(60));
            first.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
                assertEquals(1_001, firstStoredEntry(Part.MetrologyLog, meter), "entries 1..1000 are deleted");
                return null;
            });
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = actorSystem("release-after");
        try {
            TestProbe<PolicyMessage> owner = second.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = port(second, Part.MetrologyLog, meter, owner);
            log.tell(new AppendEntry(1_402, "reading", "after restart", 7));
            confirmed(Part.MetrologyLog, 1_402, 7, owner.receiveMessage(Duration.ofSeconds(30)));
        } finally {
            second.shutdownTestKit();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aFloodOfRefusedAttemptsStaysWithinTheQuotaAndKeptEntriesAreStillWritten() throws Exception {
        String meter = "quota-" + System.nanoTime();
        SegmentQuota quota = new SegmentQuota(60, 20); // refused attempts are written while fewer than 40 entries are stored
        int flood = 5_000;
        ActorTestKit kit = actorSystem("quota");
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = kit.spawn(SegmentPort.create(Part.SecurityLog, meter, quota, owner.getRef()::tell));
            log.tell(new PortWiring(m -> log.tell((SegmentCommand) m)));
            for (int i = 1; i <= flood; i++) {
                log.tell(new AppendEntry(i, "frame-refused", "attempt " + i, i, SegmentMessages.Retention.BOUNDED));
                if (i % 1_000 == 0) {
                    log.tell(new AppendEntry(i, "command", "accepted " + i, -i));
                }
            }
            List<PolicyMessage> answers = owner.receiveSeveralMessages(flood + flood / 1_000, Duration.ofSeconds(30));
            assertEquals(flood / 1_000, answers.stream().filter(m -> m instanceof Persisted p && p.correlation() < 0).count(),
                    "every kept entry is written");
            assertEquals(flood - 40, answers.stream().filter(m -> m instanceof SegmentMessages.NotStored).count());
        } finally {
            kit.shutdownTestKit();
        }
        try (Connection c = store.connect();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM "
                        + store.qualified(Part.SecurityLog, JournalStore.journalTable(Part.SecurityLog)) + " WHERE \"persistence_id\" = ?")) {
            s.setString(1, Segment.persistenceId(Part.SecurityLog, meter).id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                // 40 refusals; per kept entry the summary of what was counted before it and the entry itself; and
                // a quota-reached note where each run of counted refusals starts (before each kept entry but the last)
                int kept = flood / 1_000;
                assertEquals(40 + 2 * kept + kept, r.getLong(1));
                assertTrue(r.getLong(1) <= quota.maxEntries());
            }
        }
    }

    /** The first entry left; the plugin keeps the last deleted row, marked deleted, to remember the highest number. */
    private long firstStoredEntry(Part segment, String meterId) throws SQLException {
        try (Connection c = store.connect();
                PreparedStatement s = c.prepareStatement("SELECT MIN(\"sequence_number\") FROM "
                        + store.qualified(segment, JournalStore.journalTable(segment))
                        + " WHERE \"persistence_id\" = ? AND NOT \"deleted\"")) {
            s.setString(1, Segment.persistenceId(segment, meterId).id());
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** A write this segment accepts. */
    private static SegmentCommand write(Part segment, long time, String value, long correlation) {
        switch (segment) {
            case Tariffs:
                return new StoreTariffs(time, "tariff", value, correlation);
            case CreditStore:
                return new StoreCredit(time, "credit", value, correlation);
            case OperationalParameters:
                return new StoreParameters(time, "interval", value, correlation);
            default:
                return new AppendEntry(time, "test", value, correlation);
        }
    }

    private static Persisted confirmed(Part segment, long sequenceNr, long correlation, PolicyMessage m) {
        Persisted p = assertInstanceOf(Persisted.class, m);
        assertEquals(segment, p.segment());
        assertEquals(sequenceNr, p.sequenceNr());
        assertEquals(correlation, p.correlation());
        return p;
    }

    @Test
    void creatingTheSchemaAgainChangesNothing() throws SQLException {
        assertEquals(List.of(), SchemaCreator.create(store), "all journals' tables exist already");
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            for (JournalStore.Journal journal : store.journals()) {
                assertTrue(SchemaCreator.complete(c, store, journal), journal + " tables");
                for (String sql : SchemaCreator.statements(store, journal)) {
                    s.execute(sql); // every statement on its own is idempotent too
                }
            }
        }
        assertEquals(List.of(), SchemaCreator.create(store));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void entriesConfirmedBeforeAShutdownAreRecoveredByTheNextActorSystem() throws Exception {
        String meter = "restart-" + System.nanoTime();
        ActorTestKit first = actorSystem("journal-before");
        try {
            TestProbe<PolicyMessage> owner = first.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = port(first, Part.OffSwitchLog, meter, owner);
            ActorRef<SegmentCommand> credit = port(first, Part.CreditStore, meter, owner);
            log.tell(new AppendEntry(1_000, "remote-off", "valid", 1));
            log.tell(new AppendEntry(2_000, "actuation", "OFF", 2));
            log.tell(new AppendEntry(3_000, "actuation", "ON", 3));
            for (int i = 1; i <= 3; i++) {
                confirmed(Part.OffSwitchLog, i, i, owner.receiveMessage());
            }
            credit.tell(new StoreCredit(4_000, "credit", "500", 4));
            confirmed(Part.CreditStore, 1, 4, owner.receiveMessage());
            credit.tell(new StoreCredit(5_000, "credit", "250", 5));
            confirmed(Part.CreditStore, 2, 5, owner.receiveMessage());
        } finally {
            first.shutdownTestKit();
        }

        ActorTestKit second = actorSystem("journal-after");
        try {
            TestProbe<PolicyMessage> owner = second.createTestProbe(PolicyMessage.class);
            port(second, Part.OffSwitchLog, meter, owner).tell(new ReadSegment(10));
            assertEquals(new SegmentContents(Part.OffSwitchLog, 3, Map.of(), 10), owner.receiveMessage());
            ActorRef<SegmentCommand> credit = port(second, Part.CreditStore, meter, owner);
            credit.tell(new ReadSegment(11));
            assertEquals(new SegmentContents(Part.CreditStore, 2, Map.of("credit", "250"), 11), owner.receiveMessage());
            credit.tell(new StoreCredit(6_000, "credit", "100", 12));
            confirmed(Part.CreditStore, 3, 12, owner.receiveMessage());

            // forensics: the read journal of the segment sees the chained entries as written
            JdbcReadJournal query = PersistenceQuery.get(Adapter.toClassic(second.system()))
                    .getReadJournalFor(JdbcReadJournal.class, JournalStore.queryPluginId(Part.OffSwitchLog));
            List<EventEnvelope> events = query
                    .currentEventsByPersistenceId(Segment.persistenceId(Part.OffSwitchLog, meter).id(), 0, Long.MAX_VALUE)
                    .runWith(Sink.seq(), second.system())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L), events.stream().map(EventEnvelope::sequenceNr).toList());
            List<String> values = new ArrayList<>();
            byte[] previous = null;
            for (EventEnvelope e : events) {
                Segment.Entry entry = assertInstanceOf(Segment.Entry.class, e.event());
                if (previous != null) {
                    assertArrayEquals(previous, entry.previousHash(), "hash chain");
                }
                previous = entry.hash();
                values.add(entry.value());
            }
            assertEquals(List.of("valid", "OFF", "ON"), values);
        } finally {
            second.shutdownTestKit();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void chainHeadsAreReadFromTheTablesAndTheFingerprintMovesWithEveryEntry() throws Exception {
        String meter = "heads-" + System.nanoTime();
        String pid = Segment.persistenceId(Part.SecurityLog, meter).id();
        ActorTestKit kit = actorSystem("journal-heads");
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = port(kit, Part.SecurityLog, meter, owner);
            log.tell(new AppendEntry(1_000, "top-up", "500", 1));
            log.tell(new AppendEntry(2_000, "tariff", "peak", 2));
            owner.receiveMessage();
            Persisted second = assertInstanceOf(Persisted.class, owner.receiveMessage());
            ChainHeads before = ChainHeads.read(store);
            assertEquals(2, before.heads().get(pid).seq());
            assertArrayEquals(second.head(), before.heads().get(pid).hash(), "the head is the last confirmed entry");
            assertEquals(before.fingerprint(), ChainHeads.read(store).fingerprint(), "reading twice gives the same fingerprint");

            log.tell(new AppendEntry(3_000, "tariff", "off-peak", 3));
            Persisted third = assertInstanceOf(Persisted.class, owner.receiveMessage());
            ChainHeads after = ChainHeads.read(store);
            assertArrayEquals(third.head(), after.heads().get(pid).hash());
            assertFalse(before.fingerprint().equals(after.fingerprint()), "one more entry changes the fingerprint");
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theEntryTimelineCountsEntriesByTheTimeWrittenInThem() throws Exception {
        long t = 4_000_000_000_000L; // after every other test's entries, which all count in the first interval
        ActorTestKit kit = actorSystem("journal-timeline");
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> log = port(kit, Part.SecurityLog, "timeline-" + System.nanoTime(), owner);
            log.tell(new AppendEntry(t + 500, "top-up", "500", 1));
            log.tell(new AppendEntry(t + 1_500, "tariff", "peak", 2));
            log.tell(new AppendEntry(t + 1_600, "tariff", "off-peak", 3));
            for (int i = 0; i < 3; i++) {
                assertInstanceOf(Persisted.class, owner.receiveMessage(Duration.ofSeconds(30)));
            }
        } finally {
            kit.shutdownTestKit();
        }
        long[] security = EntryTimeline.cumulative(store, t, 1_000, 3).get("security-log");
        assertEquals(2, security[1] - security[0], "two entries in the second interval");
        assertEquals(0, security[2] - security[1], "none in the third");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSegmentsSnapshotsLandInItsOwnSnapshotTableAndRecoveryUsesThem() throws SQLException {
        String meter = "segment-snapshot-" + System.nanoTime();
        int entries = Segment.SNAPSHOT_EVERY + 5;
        ActorTestKit first = actorSystem("segment-snapshot-before");
        try {
            TestProbe<PolicyMessage> owner = first.createTestProbe(PolicyMessage.class);
            ActorRef<SegmentCommand> credit = port(first, Part.CreditStore, meter, owner);
            for (int i = 1; i <= entries; i++) {
                credit.tell(new StoreCredit(i, "credit", String.valueOf(i), i));
            }
            for (PolicyMessage m : owner.receiveSeveralMessages(entries, Duration.ofSeconds(30))) {
                assertInstanceOf(Persisted.class, m);
            }
        } finally {
            first.shutdownTestKit();
        }
        try (Connection c = store.connect();
                PreparedStatement s = c.prepareStatement("SELECT MAX(\"sequence_number\") FROM "
                        + store.qualified(Part.CreditStore, JournalStore.snapshotTable(Part.CreditStore))
                        + " WHERE \"persistence_id\" = ?")) {
            s.setString(1, Segment.persistenceId(Part.CreditStore, meter).id());
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                // the port writes in batches: the snapshot is taken after the batch that crossed 1,000
                long at = r.getLong(1);
                assertTrue(at >= Segment.SNAPSHOT_EVERY && at <= entries, "credit_store_snapshot holds a snapshot at " + at);
            }
        }
        ActorTestKit second = actorSystem("segment-snapshot-after");
        try {
            TestProbe<PolicyMessage> owner = second.createTestProbe(PolicyMessage.class);
            port(second, Part.CreditStore, meter, owner).tell(new ReadSegment(-1));
            assertEquals(new SegmentContents(Part.CreditStore, entries, Map.of("credit", String.valueOf(entries)), -1),
                    owner.receiveMessage());
        } finally {
            second.shutdownTestKit();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void snapshotsGoToTheSegmentsOwnSnapshotTableAndShortenRecovery() throws SQLException {
        String id = "snap-" + System.nanoTime();
        ActorTestKit first = actorSystem("snapshot-before");
        try {
            TestProbe<String> replies = first.createTestProbe(String.class);
            ActorRef<SnapshotProbe.Command> probe = first.spawn(new SnapshotProbe(Part.Tariffs, id));
            for (String e : List.of("a", "b", "c")) {
                probe.tell(new SnapshotProbe.Command(e, replies.getRef()));
                replies.expectMessage("ok");
            }
        } finally {
            first.shutdownTestKit();
        }
        ActorTestKit second = actorSystem("snapshot-after");
        try {
            TestProbe<String> replies = second.createTestProbe(String.class);
            second.spawn(new SnapshotProbe(Part.Tariffs, id)).tell(new SnapshotProbe.Command("?", replies.getRef()));
            replies.expectMessage("a,b,c");
        } finally {
            second.shutdownTestKit();
        }
        try (Connection c = store.connect();
                PreparedStatement s = c.prepareStatement("SELECT MAX(\"sequence_number\") FROM "
                        + store.qualified(Part.Tariffs, JournalStore.snapshotTable(Part.Tariffs))
                        + " WHERE \"persistence_id\" = ?")) {
            s.setString(1, "snapshot-probe|" + id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals(2, r.getLong(1), "a snapshot after the second event, in tariffs_snapshot");
            }
        }
    }

    @Test
    void eachPluginNamesOnlyItsOwnJournalsTables() {
        Config config = store.config();
        List<JournalStore.Journal> journals = store.journals();
        assertEquals(JournalStore.segments().size() + JournalStore.CENTRAL_JOURNALS.size(), journals.size(),
                "six segments and the central system's journals");
        assertTrue(journals.contains(JournalStore.Journal.central(JournalStore.CENTRAL_ANCHORS)));
        for (JournalStore.Journal journal : journals) {
            for (String pluginId : List.of(journal.journalPluginId(), journal.snapshotPluginId(), journal.queryPluginId())) {
                Config plugin = config.getConfig(pluginId);
                assertEquals(JournalStore.SHARED_DATABASE, plugin.getString("use-shared-db"), pluginId);
                assertFalse(plugin.hasPath("slick"), pluginId + " has no pool of its own");
                String rendered = plugin.root().render(ConfigRenderOptions.concise());
                for (JournalStore.Journal other : journals) {
                    assertEquals(other.equals(journal), rendered.contains(other.prefix() + "_"),
                            pluginId + " mentions " + other.prefix());
                }
            }
            Config plugin = config.getConfig(journal.journalPluginId());
            assertEquals(journal.journalTable(), plugin.getString("tables.event_journal.tableName"));
            assertEquals(journal.tagTable(), plugin.getString("tables.event_tag.tableName"));
            assertEquals(store.schema(journal), plugin.getString("tables.event_journal.schemaName"));
            assertEquals(store.schema(journal), plugin.getString("tables.event_tag.schemaName"));
            assertEquals(journal.snapshotTable(), config.getString(journal.snapshotPluginId() + ".tables.snapshot.tableName"));
            assertEquals(store.schema(journal), config.getString(journal.snapshotPluginId() + ".tables.snapshot.schemaName"));
            assertTrue(plugin.getInt("bufferSize") > METERS_AT_ONCE, "bufferSize exceeds the entities writing at once");
        }
        for (Part segment : JournalStore.segments()) {
            assertEquals(Segment.journalPluginId(segment), JournalStore.Journal.of(segment).journalPluginId());
            assertEquals(Segment.snapshotPluginId(segment), JournalStore.Journal.of(segment).snapshotPluginId());
        }
        Set<String> pools = new HashSet<>();
        config.getConfig("pekko-persistence-jdbc.shared-databases").root().forEach((name, v) -> pools.add(name));
        assertEquals(Set.of(JournalStore.SHARED_DATABASE), pools, "one pool for all plugins");
    }

    /**
     * The central system's anchor journal (here an actor shaped like the anchor ledger) writes its events
     * and snapshots to its own tables only, and what it confirmed is there after the database is reopened,
     * through the journal and through its read journal.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCentralAnchorJournalWritesOnlyToItsOwnTablesAndSurvivesReopening() throws Exception {
        JournalStore.Journal anchors = JournalStore.Journal.central(JournalStore.CENTRAL_ANCHORS);
        String meter = "anchored-" + System.nanoTime();
        String persistenceId = "anchors|" + meter;
        int count = 2 * AnchorProbe.SNAPSHOT_EVERY + 1;
        List<byte[]> heads = new ArrayList<>();
        ActorTestKit first = actorSystem("anchors-before");
        try {
            TestProbe<Long> replies = first.createTestProbe(Long.class);
            ActorRef<AnchorProbe.Command> ledger = first.spawn(new AnchorProbe(anchors, meter));
            for (int i = 1; i <= count; i++) {
                byte[] head = new byte[32];
                java.util.Arrays.fill(head, (byte) i);
                heads.add(head);
                ledger.tell(new AnchorProbe.Record(i % 2 == 0 ? "metrology-log" : "off-switch-log", i, head, replies.getRef()));
                assertEquals(i, replies.receiveMessage());
            }
        } finally {
            first.shutdownTestKit();
        }

        try (Connection c = store.connect()) {
            assertEquals(count, rowsOf(c, store.qualified(anchors, anchors.journalTable()), persistenceId),
                    anchors.journalTable() + " holds every anchor");
            assertTrue(rowsOf(c, store.qualified(anchors, anchors.snapshotTable()), persistenceId) >= 1,
                    anchors.snapshotTable() + " holds the ledger's snapshots");
            for (JournalStore.Journal other : store.journals()) {
                if (!other.equals(anchors)) {
                    assertEquals(0, rowsOf(c, store.qualified(other, other.journalTable()), persistenceId),
                            other.journalTable() + " holds no anchor");
                    assertEquals(0, rowsOf(c, store.qualified(other, other.snapshotTable()), persistenceId),
                            other.snapshotTable() + " holds no anchor snapshot");
                }
            }
        }

        ActorTestKit second = actorSystem("anchors-after");
        try {
            TestProbe<AnchorProbe.State> replies = second.createTestProbe(AnchorProbe.State.class);
            second.spawn(new AnchorProbe(anchors, meter)).tell(new AnchorProbe.Get(replies.getRef()));
            List<AnchorProbe.AnchorRecorded> recovered = replies.receiveMessage().anchors();
            assertEquals(count, recovered.size(), "recovered from snapshot and journal");
            for (int i = 0; i < count; i++) {
                assertEquals(i + 1, recovered.get(i).seq());
                assertArrayEquals(heads.get(i), recovered.get(i).head());
            }
            JdbcReadJournal query = PersistenceQuery.get(Adapter.toClassic(second.system()))
                    .getReadJournalFor(JdbcReadJournal.class, anchors.queryPluginId());
            List<EventEnvelope> events = query.currentEventsByPersistenceId(persistenceId, 0, Long.MAX_VALUE)
                    .runWith(Sink.seq(), second.system())
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertEquals(count, events.size());
            AnchorProbe.AnchorRecorded last = assertInstanceOf(AnchorProbe.AnchorRecorded.class, events.get(count - 1).event());
            assertArrayEquals(heads.get(count - 1), last.head());
        } finally {
            second.shutdownTestKit();
        }
    }

    /**
     * The plugin writes what its queue gathered as one transaction: one bad row (here a sequence number
     * already taken) must take every other write of the batch down with it, and all of them must be reported
     * failed, never half stored and reported lost. Recovery after a failed write relies on this.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBatchIsOneTransactionSoOneBadRowFailsAndUndoesEveryWriteInIt() throws SQLException {
        Part segment = Part.OffSwitchLog;
        String taken = Segment.persistenceId(segment, "batch-taken-" + System.nanoTime()).id();
        String innocent = Segment.persistenceId(segment, "batch-innocent-" + System.nanoTime()).id();
        ActorTestKit kit = actorSystem("journal-batch");
        try {
            org.apache.pekko.actor.ActorRef journal = org.apache.pekko.persistence.Persistence
                    .get(Adapter.toClassic(kit.system())).journalFor(Segment.journalPluginId(segment), ConfigFactory.empty());
            TestProbe<Object> writer = kit.createTestProbe(Object.class);
            journal.tell(writeMessages(writer, List.of(List.of(repr(taken, 1)))), org.apache.pekko.actor.ActorRef.noSender());
            writer.expectMessageClass(org.apache.pekko.persistence.JournalProtocol.WriteMessagesSuccessful$.class);
            writer.expectMessageClass(org.apache.pekko.persistence.JournalProtocol.WriteMessageSuccess.class);

            journal.tell(writeMessages(writer, List.of(List.of(repr(innocent, 1), repr(innocent, 2)), List.of(repr(taken, 1)))),
                    org.apache.pekko.actor.ActorRef.noSender());
            writer.expectMessageClass(org.apache.pekko.persistence.JournalProtocol.WriteMessagesFailed.class);
            for (int i = 0; i < 3; i++) {
                writer.expectMessageClass(org.apache.pekko.persistence.JournalProtocol.WriteMessageFailure.class);
            }
            try (Connection c = store.connect()) {
                String table = store.qualified(segment, JournalStore.journalTable(segment));
                assertEquals(0, rowsOf(c, table, innocent), "the batch's other rows were rolled back");
                assertEquals(1, rowsOf(c, table, taken), "the row first written is untouched");
            }
        } finally {
            kit.shutdownTestKit();
            // its rows are not segment entries: the tests that read every chain of the table must not meet them
            try (Connection c = store.connect(); PreparedStatement delete = c.prepareStatement("DELETE FROM "
                    + store.qualified(segment, JournalStore.journalTable(segment)) + " WHERE \"persistence_id\" IN (?, ?)")) {
                delete.setString(1, taken);
                delete.setString(2, innocent);
                delete.executeUpdate();
            }
        }
    }

    private static org.apache.pekko.persistence.PersistentRepr repr(String persistenceId, long sequenceNr) {
        return org.apache.pekko.persistence.PersistentRepr.apply("entry " + sequenceNr, sequenceNr, persistenceId, "",
                false, org.apache.pekko.actor.ActorRef.noSender(), "batch-test-writer");
    }

    /** Pekko's journal protocol as a persistent actor speaks it: one message, several atomic writes. */
    private static org.apache.pekko.persistence.JournalProtocol.WriteMessages writeMessages(
            TestProbe<Object> writer, List<List<org.apache.pekko.persistence.PersistentRepr>> atomicWrites) {
        List<org.apache.pekko.persistence.PersistentEnvelope> writes = new ArrayList<>();
        for (List<org.apache.pekko.persistence.PersistentRepr> atomic : atomicWrites) {
            writes.add(new org.apache.pekko.persistence.AtomicWrite(
                    scala.jdk.javaapi.CollectionConverters.asScala(atomic).toList()));
        }
        return new org.apache.pekko.persistence.JournalProtocol.WriteMessages(
                scala.jdk.javaapi.CollectionConverters.asScala(writes).toList(), Adapter.toClassic(writer.getRef()), 1);
    }

    private static long rowsOf(Connection c, String table, String persistenceId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "SELECT COUNT(*) FROM " + table + " WHERE \"persistence_id\" = ?")) {
            s.setString(1, persistenceId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everySegmentWritesOnlyToItsOwnTable() throws SQLException {
        String meter = "isolation-" + System.nanoTime();
        ActorTestKit kit = actorSystem("journal-isolation");
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            long correlation = 0;
            for (Part segment : JournalStore.segments()) {
                port(kit, segment, meter, owner).tell(write(segment, 1, "v", ++correlation));
                confirmed(segment, 1, correlation, owner.receiveMessage());
            }
        } finally {
            kit.shutdownTestKit();
        }
        try (Connection c = store.connect()) {
            for (Part segment : JournalStore.segments()) {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT \"persistence_id\" FROM " + store.qualified(segment, JournalStore.journalTable(segment))
                                + " WHERE \"persistence_id\" LIKE ?")) {
                    s.setString(1, "%|" + meter);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            ids.add(r.getString(1));
                        }
                    }
                }
                assertEquals(List.of(Segment.persistenceId(segment, meter).id()), ids,
                        JournalStore.journalTable(segment) + " holds this segment's entry and no other's");
            }
            for (String name : store.centralJournals()) {
                JournalStore.Journal central = JournalStore.Journal.central(name);
                try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM "
                        + store.qualified(central, central.journalTable()) + " WHERE \"persistence_id\" LIKE ?")) {
                    s.setString(1, "%|" + meter);
                    try (ResultSet r = s.executeQuery()) {
                        r.next();
                        assertEquals(0, r.getLong(1), central.journalTable() + " holds no segment's entry");
                    }
                }
            }
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void tenThousandMetersWritingAtOnceAreAllConfirmed() throws SQLException {
        String run = "load-" + System.nanoTime() + "-";
        ActorTestKit kit = actorSystem("journal-load");
        try {
            TestProbe<PolicyMessage> owner = kit.createTestProbe(PolicyMessage.class);
            List<ActorRef<SegmentCommand>> ports = new ArrayList<>(METERS_AT_ONCE);
            for (int i = 0; i < METERS_AT_ONCE; i++) {
                ports.add(port(kit, Part.OffSwitchLog, run + i, owner));
            }
            // let every segment recover first, so that the writes below really reach the journal at once
            for (int i = 0; i < METERS_AT_ONCE; i++) {
                ports.get(i).tell(new ReadSegment(i));
            }
            for (PolicyMessage m : owner.receiveSeveralMessages(METERS_AT_ONCE, Duration.ofSeconds(60))) {
                assertEquals(0, assertInstanceOf(SegmentContents.class, m).entries());
            }
            for (int i = 0; i < METERS_AT_ONCE; i++) {
                ports.get(i).tell(new AppendEntry(i, "remote-off", "valid", i));
            }
            Set<Long> correlations = new HashSet<>();
            for (PolicyMessage m : owner.receiveSeveralMessages(METERS_AT_ONCE, Duration.ofSeconds(60))) {
                Persisted p = assertInstanceOf(Persisted.class, m, "every write confirmed, none failed");
                assertEquals(1, p.sequenceNr());
                correlations.add(p.correlation());
            }
            assertEquals(METERS_AT_ONCE, correlations.size());
        } finally {
            kit.shutdownTestKit();
        }
        try (Connection c = store.connect();
                PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM "
                        + store.qualified(Part.OffSwitchLog, JournalStore.journalTable(Part.OffSwitchLog))
                        + " WHERE \"persistence_id\" LIKE ?")) {
            s.setString(1, Segment.journalName(Part.OffSwitchLog) + "|" + run + "%");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                assertEquals(METERS_AT_ONCE, r.getLong(1));
            }
        }
    }
}

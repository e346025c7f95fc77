package org.hasm.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages.StoreCredit;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SegmentTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static void assertConfirmed(Part segment, long seq, long correlation, PolicyMessage m) {
        Persisted p = (Persisted) m;
        assertEquals(segment, p.segment());
        assertEquals(seq, p.sequenceNr());
        assertEquals(correlation, p.correlation());
        assertEquals(32, p.head().length);
    }

    /** A port outside any kernel: its channel to itself is just its reference. */
    private static ActorRef<SegmentMessages.SegmentCommand> port(Part segment, String meterId, TestProbe<PolicyMessage> owner) {
        ActorRef<SegmentMessages.SegmentCommand> port = testKit.spawn(SegmentPort.create(segment, meterId, owner.getRef()::tell));
        port.tell(new SegmentMessages.PortWiring(m -> port.tell((SegmentMessages.SegmentCommand) m)));
        return port;
    }

    @Test
    void aFloodIsWrittenInBatchesAndEveryEntryIsConfirmedInOrder() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> log = port(Part.SecurityLog, "meter-9", owner);
        int n = 20_000; // far beyond the event-sourced actor's stash (4,096), which would drop the rest
        for (int i = 1; i <= n; i++) {
            log.tell(new AppendEntry(i, "refused", "attempt " + i, i));
        }
        for (int i = 1; i <= n; i++) {
            assertConfirmed(Part.SecurityLog, i, i, owner.receiveMessage());
        }
    }

    @Test
    void beyondItsQuotaASegmentCountsRefusedAttemptsButStillWritesEveryKeptEntry() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        SegmentQuota quota = new SegmentQuota(12, 4); // refused attempts are written while fewer than 8 entries are stored
        ActorRef<SegmentMessages.SegmentCommand> log = testKit.spawn(SegmentPort.create(Part.SecurityLog, "meter-q", quota,
                owner.getRef()::tell));
        log.tell(new SegmentMessages.PortWiring(m -> log.tell((SegmentMessages.SegmentCommand) m)));
        for (int i = 1; i <= 100; i++) {
            log.tell(new AppendEntry(i, "refused", "attempt " + i, i, SegmentMessages.Retention.BOUNDED));
        }
        for (int i = 1; i <= 8; i++) {
            assertConfirmed(Part.SecurityLog, i, i, owner.receiveMessage());
        }
        // Entry 9 is the segment's own "quota-reached" note; attempts 9..100 are counted, not written.
        for (int i = 9; i <= 100; i++) {
            assertEquals(new SegmentMessages.NotStored(Part.SecurityLog, i), owner.receiveMessage());
        }
        log.tell(new AppendEntry(101, "command", "accepted", 101));
        // Entry 10 is the "quota-suppressed" summary of the 92 attempts, entry 11 the kept one.
        assertConfirmed(Part.SecurityLog, 11, 101, owner.receiveMessage());
        log.tell(new ReadSegment(102));
        SegmentContents contents = (SegmentContents) owner.receiveMessage();
        assertEquals(11, contents.entries());
        assertTrue(contents.entries() <= quota.maxEntries());
    }

    @Test
    void aLongLogRecoversFromItsSnapshotAndTheChainGoesOn() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> log = port(Part.MetrologyLog, "meter-snap", owner);
        int n = 2 * Segment.SNAPSHOT_EVERY + 500;
        byte[] head = null;
        for (int i = 1; i <= n; i++) {
            log.tell(new AppendEntry(i, "reading", "r" + i, i));
        }
        for (int i = 1; i <= n; i++) {
            head = ((Persisted) owner.receiveMessage()).head();
        }
        testKit.stop(log);

        ActorRef<SegmentMessages.SegmentCommand> again = port(Part.MetrologyLog, "meter-snap", owner);
        again.tell(new AppendEntry(n + 1, "reading", "after restart", n + 1));
        Persisted next = (Persisted) owner.receiveMessage();
        assertEquals(n + 1, next.sequenceNr());
        byte[] expected = EntryHash.of("meter-snap", "metrology-log", n + 1, n + 1, "reading", "", "after restart", head);
        assertArrayEquals(expected, next.head(), "the chain continues from the recovered head");
    }

    @Test
    void eachSegmentHasItsOwnJournalAndPersistenceId() {
        assertEquals("hasm.journal.off-switch-log", Segment.journalPluginId(Part.OffSwitchLog));
        assertEquals("operational-parameters|m-1", Segment.persistenceId(Part.OperationalParameters, "m-1").id());
    }

    @Test
    void aLogConfirmsEveryEntryAndRecoversThemAfterARestart() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> log =
                port(Part.OffSwitchLog, "meter-7", owner);
        log.tell(new AppendEntry(1_000, "remote-off", "valid", 11));
        log.tell(new AppendEntry(2_000, "actuation", "OFF", 12));
        assertConfirmed(Part.OffSwitchLog, 1, 11, owner.receiveMessage());
        assertConfirmed(Part.OffSwitchLog, 2, 12, owner.receiveMessage());
        testKit.stop(log);

        ActorRef<SegmentMessages.SegmentCommand> again = port(Part.OffSwitchLog, "meter-7", owner);
        again.tell(new ReadSegment(13));
        assertEquals(new SegmentContents(Part.OffSwitchLog, 2, Map.of(), 13), owner.receiveMessage());
    }

    @Test
    void aValueSegmentKeepsTheLatestValueAndRefusesLogAppends() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> credit = port(Part.CreditStore, "meter-8", owner);
        credit.tell(new StoreCredit(1, "credit", "500", 1));
        credit.tell(new StoreCredit(2, "credit", "250", 2));
        credit.tell(new AppendEntry(3, "not-a-log", "", 3));
        credit.tell(new ReadSegment(4));
        owner.receiveMessage();
        owner.receiveMessage();
        assertEquals(new SegmentContents(Part.CreditStore, 2, Map.of("credit", "250"), 4), owner.receiveMessage());
    }
}

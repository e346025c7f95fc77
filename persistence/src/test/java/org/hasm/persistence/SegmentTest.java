package org.hasm.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

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

    @Test
    void eachSegmentHasItsOwnJournalAndPersistenceId() {
        assertEquals("hasm.journal.off-switch-log", Segment.journalPluginId(Part.OffSwitchLog));
        assertEquals("operational-parameters|m-1", Segment.persistenceId(Part.OperationalParameters, "m-1").id());
    }

    @Test
    void aLogConfirmsEveryEntryAndRecoversThemAfterARestart() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> log =
                testKit.spawn(new Segment(Part.OffSwitchLog, "meter-7", owner.getRef()::tell));
        log.tell(new AppendEntry(1_000, "remote-off", "valid", 11));
        log.tell(new AppendEntry(2_000, "actuation", "OFF", 12));
        assertEquals(new Persisted(Part.OffSwitchLog, 1, 11), owner.receiveMessage());
        assertEquals(new Persisted(Part.OffSwitchLog, 2, 12), owner.receiveMessage());
        testKit.stop(log);

        ActorRef<SegmentMessages.SegmentCommand> again =
                testKit.spawn(new Segment(Part.OffSwitchLog, "meter-7", owner.getRef()::tell));
        again.tell(new ReadSegment(13));
        assertEquals(new SegmentContents(Part.OffSwitchLog, 2, Map.of(), 13), owner.receiveMessage());
    }

    @Test
    void aValueSegmentKeepsTheLatestValueAndRefusesLogAppends() {
        TestProbe<PolicyMessage> owner = testKit.createTestProbe(PolicyMessage.class);
        ActorRef<SegmentMessages.SegmentCommand> credit =
                testKit.spawn(new Segment(Part.CreditStore, "meter-8", owner.getRef()::tell));
        credit.tell(new StoreCredit(1, "credit", "500", 1));
        credit.tell(new StoreCredit(2, "credit", "250", 2));
        credit.tell(new AppendEntry(3, "not-a-log", "", 3));
        credit.tell(new ReadSegment(4));
        owner.receiveMessage();
        owner.receiveMessage();
        assertEquals(new SegmentContents(Part.CreditStore, 2, Map.of("credit", "250"), 4), owner.receiveMessage());
    }
}

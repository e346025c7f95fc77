package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.JournalOperation;
import org.apache.pekko.persistence.testkit.ProcessingPolicy;
import org.apache.pekko.persistence.testkit.ProcessingResult;
import org.apache.pekko.persistence.testkit.ProcessingSuccess$;
import org.apache.pekko.persistence.testkit.StorageFailure;
import org.apache.pekko.persistence.testkit.WriteEvents;
import org.apache.pekko.persistence.testkit.internal.InMemStorageExtension;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The journal refuses writes for a while (a database outage): the segment retries, nothing is lost or doubled. */
class JournalFailureTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** The testkit keeps one store, with its own policy, per journal plugin id. */
    private static org.apache.pekko.persistence.testkit.EventStorage offSwitchLogStore() {
        return InMemStorageExtension.get(testKit.system().classicSystem()).storageFor(Segment.journalPluginId(Part.OffSwitchLog));
    }

    @AfterEach
    void healJournal() {
        offSwitchLogStore().resetPolicy();
    }

    /** Fails the next {@code n} writes to one persistence id, like a database that is down for a moment. */
    static final class FailingWrites implements ProcessingPolicy<JournalOperation> {
        private final String persistenceId;
        private final AtomicInteger failuresLeft;

        FailingWrites(String persistenceId, int n) {
            this.persistenceId = persistenceId;
            this.failuresLeft = new AtomicInteger(n);
        }

        @Override
        public ProcessingResult tryProcess(String pid, JournalOperation op) {
            if (pid.equals(persistenceId) && op instanceof WriteEvents && failuresLeft.getAndDecrement() > 0) {
                return StorageFailure.create(new IllegalStateException("database unreachable (simulated)"));
            }
            return ProcessingSuccess$.MODULE$;
        }
    }

    @Test
    void aSwitchOffDuringAJournalOutageIsLoggedOnceAndTakesEffectWhenWritesResume() {
        MeterHarness m = new MeterHarness(testKit, "outage", MeterConfig.DEFAULT, Tariff.flat(20_000));
        FailingWrites outage = new FailingWrites(Segment.persistenceId(Part.OffSwitchLog, "outage").id(), 3);
        offSwitchLogStore().setPolicy(outage);

        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));

        assertFalse(m.supply.receiveMessage(), "the breaker opens once the entry is durable");
        org.junit.jupiter.api.Assertions.assertTrue(outage.failuresLeft.get() < 0, "all three refused writes happened first");
        assertEquals(List.of("remote-command: SWITCH_OFF #1 ACCEPTED lastSequence=1 | supply=ON cause=NONE sequence=1",
                "actuation: OFF (remote command #1) | supply=OFF cause=REMOTE sequence=1"),
                m.journal(Part.OffSwitchLog).subList(0, 2));
        m.assertChainsIntact();
    }
}

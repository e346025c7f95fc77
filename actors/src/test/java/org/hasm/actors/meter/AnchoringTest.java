package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.central.AnchorLedger;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.ChainVerifier.Anchor;
import org.hasm.persistence.ChainVerifier.Reason;
import org.hasm.persistence.EntryHash;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The meter signs its chain heads; the central system keeps them; they catch what the chain alone cannot. */
class AnchoringTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @SuppressWarnings("unchecked")
    private static List<Anchor> anchors(ActorRef<AnchorLedger.Command> ledger, String segment) {
        TestProbe<List> probe = testKit.createTestProbe(List.class);
        ledger.tell(new AnchorLedger.GetAnchors(segment, probe.getRef().narrow()));
        return (List<Anchor>) probe.receiveMessage();
    }

    @Test
    void everyNEntriesTheChainHeadReachesTheCentralSystemAndCatchesATruncationAndARewrite() {
        MeterHarness m = new MeterHarness(testKit, "anchored", MeterConfig.DEFAULT.withAnchoring(4, Duration.ofHours(6)),
                Tariff.flat(20_000));
        ActorRef<AnchorLedger.Command> ledger = testKit.spawn(new AnchorLedger(m.central));
        for (int i = 0; i < 10; i++) {
            m.interval(100 + i);
        }
        m.relayToCentralSystem(ledger, 12); // 10 readings and the anchors of entries 4 and 8
        List<Anchor> metrology = anchors(ledger, "metrology-log");
        assertEquals(List.of(4L, 8L), metrology.stream().map(Anchor::seq).toList());

        List<Segment.Entry> entries = m.entries(Part.MetrologyLog);
        assertTrue(ChainVerifier.verify("anchored", "metrology-log", entries, metrology).intact());

        List<Segment.Entry> cut = entries.subList(0, 7);
        assertEquals(Reason.TRUNCATED, ChainVerifier.verify("anchored", "metrology-log", cut, metrology).firstProblem().get().reason());

        List<Segment.Entry> rewritten = rewriteFrom(entries, 6, "anchored");
        assertTrue(ChainVerifier.verify("anchored", "metrology-log", rewritten, List.of()).intact());
        ChainVerifier.Finding f = ChainVerifier.verify("anchored", "metrology-log", rewritten, metrology).firstProblem().get();
        assertEquals(Reason.ANCHOR_MISMATCH, f.reason());
        assertEquals(5, f.seq());
    }

    @Test
    void theOffSwitchLogIsAnchoredWithOffSwitchSecuritysOwnKey() {
        MeterHarness m = new MeterHarness(testKit, "anchored-oss", MeterConfig.DEFAULT.withAnchoring(4, Duration.ofHours(6)),
                Tariff.flat(20_000));
        ActorRef<AnchorLedger.Command> ledger = testKit.spawn(new AnchorLedger(m.central));
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertFalse(m.supply.receiveMessage());
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(true, m.nowSeconds())));
        m.awaitEntry(Part.OffSwitchLog, e -> e.startsWith("remote-command: SWITCH_ON"));
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            assertEquals(Supply.ARMED, m.screen.get().supply());
            return null;
        });
        m.handle.from(Part.Environment, Part.Display).send(new ButtonPress());
        assertTrue(m.supply.receiveMessage());
        // Reports: two command results, then the anchor once the log reached 4 entries.
        m.interval(10);
        m.relayToCentralSystem(ledger, 1);

        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(10), () -> {
            List<Anchor> offSwitch = anchors(ledger, "off-switch-log");
            assertFalse(offSwitch.isEmpty());
            assertTrue(ChainVerifier.verify("anchored-oss", "off-switch-log", m.entries(Part.OffSwitchLog), offSwitch).intact());
            return null;
        });
    }

    @Test
    void aQuietSegmentIsAnchoredAfterThePeriodEvenBelowTheEntryCount() {
        MeterHarness m = new MeterHarness(testKit, "anchored-time", MeterConfig.DEFAULT.withAnchoring(1000, Duration.ofHours(1)),
                Tariff.flat(20_000));
        ActorRef<AnchorLedger.Command> ledger = testKit.spawn(new AnchorLedger(m.central));
        for (int i = 0; i < 5; i++) { // 75 minutes: the hour passes at the fourth tick
            m.interval(50);
        }
        m.relayToCentralSystem(ledger, 6); // 5 readings and one anchor
        List<Anchor> metrology = anchors(ledger, "metrology-log");
        assertEquals(1, metrology.size());
        assertTrue(ChainVerifier.verify("anchored-time", "metrology-log", m.entries(Part.MetrologyLog), metrology).intact());
    }

    /** An attacker rewrites entry {@code from} and re-chains everything after it consistently. */
    private static List<Segment.Entry> rewriteFrom(List<Segment.Entry> entries, int from, String meterId) {
        List<Segment.Entry> out = new ArrayList<>(entries.subList(0, from - 1));
        byte[] previous = out.get(out.size() - 1).hash();
        for (Segment.Entry e : entries.subList(from - 1, entries.size())) {
            String value = e.seq() == from ? e.value().replace("import=", "import=0") : e.value();
            byte[] hash = EntryHash.of(meterId, "metrology-log", e.seq(), e.time(), e.kind(), e.key(), value, previous);
            out.add(new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), value, previous, hash));
            previous = hash;
        }
        return out;
    }
}

package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.meter.MeterSignals.ButtonPress;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Critical entries are anchored as soon as they are confirmed, a flood of refusals is not, and the closing
 * tick of a clean stop anchors each segment that has entries after its last anchor, and nothing else
 * (docs/log-chain.md). The periodic anchor is set far away (1,000 entries, 6 h), so every anchor seen here
 * is one of those.
 */
class ImmediateAnchoringTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final MeterConfig FAR_PERIODIC = MeterConfig.DEFAULT.withAnchoring(1000, Duration.ofHours(6));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** The central system's end of the concentrator: it opens every frame the meter sent and keeps the anchors. */
    private static final class CentralEnd {
        final MeterHarness m;
        final List<SignedLogAnchor> anchors = new ArrayList<>();
        private long received;

        CentralEnd(MeterHarness m) {
            this.m = m;
        }

        /** The anchors received so far: once the meter is idle, every envelope it sent the concentrator is taken. */
        List<SignedLogAnchor> anchorsOnceIdle() throws Exception {
            m.activity.whenIdle().get(10, TimeUnit.SECONDS);
            long sent = m.activity.sentTo(Part.DataConcentrator);
            while (received < sent) {
                PolicyMessage message = m.concentrator.receiveMessage(Duration.ofSeconds(10));
                received++;
                Opened opened = message instanceof MeterSignals.FrameToCentralSystem f ? m.central.openFromMeter(f.bytes())
                        : message instanceof MeterSignals.SwitchReport r ? m.central.openSwitchReport(r.bytes()) : null;
                if (opened instanceof Opened.Ok ok && ok.kind() == FrameKind.LOG_ANCHOR) {
                    anchors.add(SignedLogAnchor.decode(ok.plaintext()).orElseThrow());
                }
            }
            return List.copyOf(anchors);
        }

        /** Anchored sequence numbers per segment journal name. */
        Map<String, List<Long>> seqs() throws Exception {
            return anchorsOnceIdle().stream().collect(Collectors.groupingBy(SignedLogAnchor::segment, TreeMap::new,
                    Collectors.mapping(SignedLogAnchor::seq, Collectors.toList())));
        }
    }

    private static MeterHarness meter(String id, MeterConfig config) {
        return new MeterHarness(testKit, id, config, Tariff.flat(20_000));
    }

    private static long seqOf(MeterHarness m, Part segment, String kind, String valueContains) {
        return m.entries(segment).stream().filter(e -> e.kind().equals(kind) && e.value().contains(valueContains))
                .mapToLong(Segment.Entry::seq).reduce((a, b) -> b).orElseThrow(() ->
                        new AssertionError("no " + kind + " entry with '" + valueContains + "' in " + m.journal(segment)));
    }

    @Test
    void anAcceptedCommandsSecurityLogEntryIsAnchoredAtOnceWithItsOwnSeqAndHead() throws Exception {
        MeterHarness m = meter("critical-cs", FAR_PERIODIC);
        CentralEnd central = new CentralEnd(m);
        m.fromConcentrator(new FrameFromCentralSystem(m.central.command(CommandKind.SET_TARIFF,
                Tariff.flat(30_000).encode(), m.nowSeconds())));
        Map<String, List<Long>> afterTariff = central.seqs();
        long command = seqOf(m, Part.SecurityLog, SecurityLogEntry.COMMAND, "SET_TARIFF #1 ACCEPTED");
        assertEquals(Map.of("security-log", List.of(command)), afterTariff, "only the accepted command's entry, at once");

        m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(m.central.topUpToken(500, m.nowSeconds())));
        Map<String, List<Long>> afterTopUp = central.seqs();
        long topUp = seqOf(m, Part.SecurityLog, SecurityLogEntry.TOP_UP, "ACCEPTED");
        assertEquals(Map.of("security-log", List.of(command, topUp)), afterTopUp);

        SignedLogAnchor last = central.anchors.get(central.anchors.size() - 1);
        Segment.Entry entry = m.entries(Part.SecurityLog).get((int) topUp - 1);
        assertArrayEquals(entry.hash(), last.head(), "the anchor is the head at that entry");
        assertTrue(m.central.anchorVerifiesFromCsSecurity(last));
    }

    @Test
    void everyKeptOffSwitchLogEntryIsAnchoredAtOnce() throws Exception {
        MeterHarness m = meter("critical-oss", FAR_PERIODIC);
        CentralEnd central = new CentralEnd(m);
        m.handle.from(Part.DataConcentrator, Part.Communications).send(new SwitchCommandFrame(m.central.switchCommand(false, m.nowSeconds())));
        assertEquals(false, m.supply.receiveMessage());
        m.fromConcentrator(new SwitchCommandFrame(m.central.switchCommand(true, m.nowSeconds())));
        central.anchorsOnceIdle();
        m.handle.from(Part.Environment, Part.Display).send(new ButtonPress());
        assertEquals(true, m.supply.receiveMessage());

        List<Segment.Entry> log = m.entries(Part.OffSwitchLog);
        Set<String> kinds = log.stream().map(Segment.Entry::kind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of(OffSwitchLogEntry.REMOTE_COMMAND, OffSwitchLogEntry.ACTUATION, OffSwitchLogEntry.ARMED,
                OffSwitchLogEntry.LOCAL_CONFIRMATION)), kinds.toString());
        Set<Long> kept = log.stream().filter(e -> !e.kind().equals(OffSwitchLogEntry.REPORT_COUNTERS_RESERVED))
                .map(Segment.Entry::seq).collect(Collectors.toCollection(TreeSet::new));
        Set<Long> anchored = new TreeSet<>(central.seqs().getOrDefault("off-switch-log", List.of()));
        assertTrue(anchored.containsAll(kept), "every switch entry anchored: " + kept + " anchored " + anchored + " in "
                + m.journal(Part.OffSwitchLog));
        assertTrue(central.anchors.stream().filter(a -> a.segment().equals("off-switch-log"))
                .allMatch(m.central::anchorVerifiesFromOffSwitchSecurity));
    }

    @Test
    void aFloodOfRefusedFramesAndCommandsCausesNoAnchor() throws Exception {
        MeterHarness m = meter("critical-flood", FAR_PERIODIC.withRefusalFolding(5, Duration.ofHours(1)));
        CentralEnd central = new CentralEnd(m);
        for (int i = 0; i < 300; i++) {
            m.fromConcentrator(new FrameFromCentralSystem(("forged frame " + i).getBytes()));
            m.fromConcentrator(new SwitchCommandFrame(("forged switch " + i).getBytes()));
        }
        assertEquals(List.of(), central.anchorsOnceIdle(), "no refused attempt causes an anchor");
        for (int i = 0; i < 5; i++) { // past the folding window: its summaries are written, and wait for the periodic anchor
            m.interval(10);
        }
        assertEquals(List.of(), central.anchorsOnceIdle());
        assertTrue(m.journal(Part.SecurityLog).stream().anyMatch(e -> e.startsWith("refusals-folded")), m.journal(Part.SecurityLog).toString());
        assertTrue(m.journal(Part.OffSwitchLog).stream().anyMatch(e -> e.startsWith("refusals-folded")), m.journal(Part.OffSwitchLog).toString());
    }

    @Test
    void theClosingTickAnchorsEachSegmentWithUnanchoredEntriesAtItsHeadAndNothingElse() throws Exception {
        MeterHarness m = meter("closing", FAR_PERIODIC);
        CentralEnd central = new CentralEnd(m);
        for (int i = 0; i < 3; i++) {
            m.interval(100 + i);
        }
        m.handle.from(Part.TopUpGateway, Part.Communications).send(new TopUpTokenFrame(m.central.topUpToken(500, m.nowSeconds())));
        Map<String, List<Long>> before = central.seqs();
        assertEquals(Set.of("security-log"), before.keySet(), "the top-up's entry only: " + before);

        m.handle.from(Part.Environment, Part.Clock).send(new TimeSignal(m.now, true));
        List<SignedLogAnchor> all = central.anchorsOnceIdle();
        List<SignedLogAnchor> closing = all.subList(before.values().stream().mapToInt(List::size).sum(), all.size());

        Map<String, Long> heads = new TreeMap<>();
        for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
            List<Segment.Entry> entries = m.entries(segment);
            if (!entries.isEmpty()) {
                heads.put(Segment.journalName(segment), entries.get(entries.size() - 1).seq());
            }
        }
        Map<String, Long> unanchoredBefore = new TreeMap<>(heads);
        before.forEach((segment, seqs) -> {
            if (seqs.get(seqs.size() - 1).equals(heads.get(segment))) {
                unanchoredBefore.remove(segment);
            }
        });
        assertTrue(unanchoredBefore.keySet().containsAll(Set.of("metrology-log", "credit-store", "operational-parameters")),
                unanchoredBefore.toString());
        Map<String, Long> closed = closing.stream().collect(Collectors.toMap(SignedLogAnchor::segment, SignedLogAnchor::seq,
                (a, b) -> { throw new AssertionError("two closing anchors of one segment: " + closing); }, TreeMap::new));
        assertEquals(unanchoredBefore, closed, "one anchor per segment with unanchored entries, at its head; none of the others");
    }
}

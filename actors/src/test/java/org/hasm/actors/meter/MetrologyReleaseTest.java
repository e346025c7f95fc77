package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.persistence.Segment;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The MetrologyLog keeps its quota by releasing its oldest readings, and only those the central system
 * acknowledged: a reading it has not acknowledged stays, whatever the quota.
 */
class MetrologyReleaseTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    /** Readings are released (at snapshot boundaries, every 1,000 entries) once 1,400 entries are stored. */
    private static final SegmentQuota QUOTA = new SegmentQuota(1_500, 100);

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static MeterHarness meter(String id) {
        return new MeterHarness(testKit, id, MeterConfig.DEFAULT.withQuota(Part.MetrologyLog, QUOTA), Tariff.flat(20_000));
    }

    private static List<String> readings(MeterHarness m) {
        return m.journal(Part.MetrologyLog).stream().filter(e -> e.startsWith("reading: ")).toList();
    }

    @Test
    void acknowledgedReadingsAreReleasedToKeepTheQuotaAndTheChainStillVerifies() {
        MeterHarness m = meter("released");
        int n = 2_600;
        for (int i = 1; i <= n; i++) {
            m.interval(100);
            m.nextReadingText(); // sealed for the central system, so durable in the MetrologyLog
            if (i == 1_200 || i == 2_300) {
                m.fromConcentrator(new FrameFromCentralSystem(m.central.acknowledgement(m.now)));
            }
        }
        List<Segment.Entry> kept = m.awaitEntries(Part.MetrologyLog,
                entries -> entries.stream().anyMatch(e -> e.value().startsWith("up-to=2000 hash=")));
        assertEquals(2_001, kept.get(0).seq(), "entries 1..2000 were released; the first kept is 2001");
        List<String> log = m.journal(Part.MetrologyLog);
        assertTrue(log.contains("acknowledged: up-to=2302"), log.subList(0, 5).toString());
        // Every reading after the last acknowledgement (2,300) is still there, and those up to it since 2000.
        List<String> readings = readings(m);
        assertEquals(n - 1_998, readings.size());
        assertTrue(readings.get(readings.size() - 1).contains(" import=100Wh"));
        assertTrue(kept.size() <= QUOTA.maxEntries(), "stored " + kept.size());
        m.assertChainsIntact();
    }

    @Test
    void readingsNotAcknowledgedAreKeptBeyondTheQuota() {
        MeterHarness m = meter("unacknowledged");
        int n = 1_600;
        for (int i = 1; i <= n; i++) {
            m.interval(100);
            m.nextReadingText();
        }
        List<String> log = m.journal(Part.MetrologyLog);
        assertEquals(n, readings(m).size(), "no reading is released without the central system's acknowledgement");
        assertTrue(log.stream().noneMatch(e -> e.startsWith(Segment.RELEASED)), "nothing released");
        m.assertChainsIntact();
    }
}

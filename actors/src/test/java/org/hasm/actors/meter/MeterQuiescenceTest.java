package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A simulation driver that waits for the meters to be quiet between steps ({@link org.hasm.policy.kernel.Activity})
 * may read their logs at once: quiet means every message was handled and every segment write answered.
 */
class MeterQuiescenceTest {
    private static final ActorTestKit testKit = ActorTestKit.create();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static void awaitQuiet(MeterHarness m) {
        TestProbe<Void> probe = testKit.createTestProbe();
        probe.awaitAssert(() -> {
            assertTrue(m.activity.idle(), "still under way: " + m.activity.pending());
            return null;
        });
    }

    @Test
    void onceTheMeterIsQuietTheIntervalsReadingIsInTheMetrologyLogAndItsShareHasLeft() {
        MeterHarness m = new MeterHarness(testKit, "quiet-1", MeterConfig.DEFAULT, Tariff.flat(20_000));
        awaitQuiet(m);
        int before = m.entries(Part.MetrologyLog).size();
        long sentBefore = m.activity.sentTo(Part.DataConcentrator);

        m.interval(500); // its signals are counted as they are sent, so quiet below means after they were handled
        awaitQuiet(m);

        List<Segment.Entry> log = m.entries(Part.MetrologyLog);
        assertEquals(before + 1, log.size(), "read once, without waiting for the entry");
        assertEquals("reading", log.get(log.size() - 1).kind());
        assertTrue(m.activity.sentTo(Part.DataConcentrator) >= sentBefore + 2,
                "the sealed reading and the aggregation share left for the concentrator");
    }
}

package org.hasm.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.SimulationRandomness;
import org.junit.jupiter.api.Test;

/**
 * The coordinated-omission correction, on a virtual clock: a target that stalls its caller makes the frames
 * scheduled meanwhile go out late, and their response times must include the wait.
 */
class LoadTestCorrectionTest {
    private static final long MS = 1_000_000L;

    /** Virtual time: waiting moves the clock, so the schedule runs without sleeping. */
    private static final class VirtualPacer implements Pacer {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void awaitUntil(long deadline) {
            now = Math.max(now, deadline);
        }
    }

    /**
     * Acknowledges every frame the moment it is handed over, but its first delivery holds the caller for
     * {@code stallNanos} (as a full send buffer would): the frames due meanwhile leave late.
     */
    private static final class StallingTarget implements CentralTarget {
        final VirtualPacer clock;
        final long stallNanos;
        final List<Long> deliveredAt = new ArrayList<>();
        LongConsumer acknowledged;

        StallingTarget(VirtualPacer clock, long stallNanos) {
            this.clock = clock;
            this.stallNanos = stallNanos;
        }

        @Override
        public String describe() {
            return "stalling stub";
        }

        @Override
        public void provision(ProvisionedMeter meter) {
        }

        @Override
        public void onAcknowledgement(LongConsumer acknowledged) {
            this.acknowledged = acknowledged;
        }

        @Override
        public void deliver(long deliveryId, String meterId, byte[] frame) {
            if (deliveredAt.isEmpty()) {
                clock.now += stallNanos;
            }
            deliveredAt.add(clock.now);
            acknowledged.accept(deliveryId);
        }

        @Override
        public Tally tally(Collection<String> meterIds) {
            return new Tally(deliveredAt.size(), Map.of());
        }

        @Override
        public void close() {
        }
    }

    private static List<LoadMeter> meters(int n) {
        Provisioning p = new Provisioning("cs-1", SimulationRandomness.seeded(3, "correction-test"));
        List<LoadMeter> meters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            meters.add(new LoadMeter(p.provision("m" + i).csSecurityKeys(), 0, i));
        }
        return meters;
    }

    /** One open stage on a virtual clock against a target whose first delivery stalls for {@code stallNanos}. */
    private record OpenRun(StallingTarget target, long start, StageResult result) {
        static OpenRun of(long stallNanos, int meters, int rate, Duration duration) {
            VirtualPacer clock = new VirtualPacer();
            StallingTarget target = new StallingTarget(clock, stallNanos);
            LoadGenerator generator = new LoadGenerator(target, meters(meters), clock, 0, Duration.ofSeconds(30));
            long start = clock.now;
            return new OpenRun(target, start, generator.run(Stage.open(0, rate, duration), p -> { }));
        }
    }

    @Test
    void responseTimesRunFromTheIntendedSendTimeSoAStallIsNotHidden() {
        long stall = 2_000 * MS;
        OpenRun run = OpenRun.of(stall, 3, 10, Duration.ofSeconds(1));
        StageResult r = run.result();

        assertEquals(10, r.sent());
        assertEquals(10, r.acknowledged());
        assertEquals(10, r.responseTimes().getTotalCount());
        // frame k was due at start + 100 ms * k; all went out once the stall ended, and were acknowledged then
        Histogram expected = Latencies.histogram();
        for (int k = 0; k < 10; k++) {
            assertEquals(run.start() + stall, run.target().deliveredAt.get(k),
                    "frame " + k + " left when the stall ended");
            expected.recordValue(Latencies.micros(run.target().deliveredAt.get(k) - (run.start() + 100 * MS * k)));
        }
        assertEquals(expected, r.responseTimes(), "each response time = acknowledgement - intended send time");
        assertTrue(r.responseTimes().getMinValue() >= expected.lowestEquivalentValue((stall - 900 * MS) / 1000),
                "even the last frame waited out most of the stall");
        // measured from the actual send, the wait would vanish for all but the first frame: coordinated omission
        assertEquals(9, r.serviceTimes().getCountBetweenValues(0, 0));
        assertEquals(r.responseTimes().getMaxValue(), r.serviceTimes().getMaxValue(), "the first frame was sent on time");
    }

    @Test
    void framesFollowTheScheduleWhenNothingStalls() {
        OpenRun run = OpenRun.of(0, 2, 20, Duration.ofSeconds(2));
        StageResult r = run.result();

        assertEquals(40, r.sent());
        for (int k = 0; k < 40; k++) {
            assertEquals(run.start() + 50 * MS * k, run.target().deliveredAt.get(k),
                    "frame " + k + " on its intended time");
        }
        assertEquals(0, r.responseTimes().getMaxValue());
        assertEquals(40, r.readingsCounted());
        assertTrue(r.series().size() >= 2, "a sample a second: " + r.series());
    }

    @Test
    void aboveAThousandASecondFramesLeaveOnMillisecondTicksAndCountTheirLatenessAgainstTheSystem() {
        OpenRun run = OpenRun.of(0, 4, 4_000, Duration.ofMillis(5));
        StageResult r = run.result();

        assertEquals(20, r.sent());
        Histogram expected = Latencies.histogram();
        for (int k = 0; k < 20; k++) {
            long intended = run.start() + 250_000L * k;
            long tick = run.start() + MS * ((250_000L * k + MS - 1) / MS);
            assertEquals(tick, run.target().deliveredAt.get(k),
                    "frame " + k + " leaves on the first tick at or after its time");
            expected.recordValue(Latencies.micros(tick - intended));
        }
        assertEquals(6, run.target().deliveredAt.stream().distinct().count(),
                "one wake-up a millisecond, not one a frame");
        assertEquals(expected, r.responseTimes(), "up to a tick of lateness is in the response times");
        assertTrue(r.responseTimes().getMaxValue() >= expected.lowestEquivalentValue(750), "frame 1 waited 750 µs");
    }
}

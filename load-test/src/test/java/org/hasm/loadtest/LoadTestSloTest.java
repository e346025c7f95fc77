package org.hasm.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The SLO and the other values of the command line. */
class LoadTestSloTest {
    private static Histogram millis(long... values) {
        Histogram h = Latencies.histogram();
        for (long v : values) {
            h.recordValue(v * 1000);
        }
        return h;
    }

    /** Below 2,048 µs the histogram keeps every microsecond exactly. */
    private static Histogram micros(long... values) {
        Histogram h = Latencies.histogram();
        for (long v : values) {
            h.recordValue(v);
        }
        return h;
    }

    @Test
    void aPercentileBoundHoldsBelowItsLimitAndBreaksAtIt() {
        Slo slo = Slo.parse("p99<100ms");
        assertEquals(1, slo.bounds().size());
        assertEquals(99.0, slo.bounds().get(0).percentile());
        assertEquals(100_000.0, slo.bounds().get(0).limitMicros());
        assertTrue(slo.broken(millis(10, 20, 99)).isEmpty());
        List<String> broken = slo.broken(millis(10, 20, 101));
        assertEquals(1, broken.size());
        assertTrue(broken.get(0).startsWith("p99 = 101.") && broken.get(0).endsWith(" ms, not p99<100ms"), broken.get(0));
        assertEquals(1, Slo.parse("p99<1500us").broken(micros(10, 20, 1500)).size(), "< excludes the limit");
        assertTrue(Slo.parse("p99<=1500us").broken(micros(10, 20, 1500)).isEmpty(), "<= includes it");
    }

    @Test
    void severalBoundsUnitsAndTheMaximum() {
        Slo slo = Slo.parse("p50<20ms, p99.9 <= 0.25s,max<2000000us");
        assertEquals(List.of(50.0, 99.9, 100.0), slo.bounds().stream().map(Slo.Bound::percentile).toList());
        assertEquals(List.of(20_000.0, 250_000.0, 2_000_000.0), slo.bounds().stream().map(Slo.Bound::limitMicros).toList());
        assertTrue(slo.broken(millis(5, 10, 15)).isEmpty());
        List<String> broken = slo.broken(millis(5, 10, 2_500));
        assertEquals(2, broken.size(), "with three values p99.9 is the maximum: " + broken);
        assertTrue(broken.get(0).startsWith("p99.9 = ") && broken.get(1).startsWith("max = "), broken.toString());
        assertFalse(slo.broken(Latencies.histogram()).isEmpty(), "nothing acknowledged breaks every bound");
    }

    @Test
    void badObjectivesSayWhatIsWrongInOneLine() {
        for (String bad : List.of("", "p99", "p99>100ms", "p99<100", "p0<1ms", "p100<1ms", "q99<1ms", "p99<0ms", "p99<1min")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Slo.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertTrue(e.getMessage().contains("SLO"), e.getMessage());
        }
    }

    @Test
    void ratesRampsAndDurations() {
        assertEquals(5000.0, Inputs.rate("5000"));
        assertEquals(2.5, Inputs.rate("2.5/s"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.rate("0"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.rate("fast"));
        assertEquals(List.of(1000.0, 1500.0, 2000.0), Inputs.ramp("1000:2000:500"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.ramp("2000:1000:500"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.ramp("1000:2000"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.ramp("1:1000:1"), "more than 100 stages");
        assertEquals(Duration.ofSeconds(30), Inputs.duration("30s"));
        assertEquals(Duration.ofSeconds(30), Inputs.duration("30"));
        assertEquals(Duration.ofMinutes(2), Inputs.duration("2m"));
        assertEquals(Duration.ofMillis(500), Inputs.duration("500ms"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.duration("0s"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.duration("soon"));
        assertEquals(new Inputs.HostPort("central.example", 25520), Inputs.hostPort("central.example:25520"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.hostPort("central.example"));
        assertThrows(IllegalArgumentException.class, () -> Inputs.hostPort("h:70000"));
    }
}

package org.hasm.loadtest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** How latencies are kept: microseconds in HdrHistogram, three significant digits, up to ten minutes. */
public final class Latencies {
    public static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(10);
    /** The percentiles a report shows, Gatling's set; 100 is the maximum. */
    public static final List<Double> PERCENTILES = List.of(50.0, 75.0, 95.0, 99.0, 99.9, 100.0);

    private Latencies() {
    }

    public static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    /** A latency in nanoseconds as the histogram records it; beyond ten minutes it counts as ten minutes. */
    static long micros(long nanos) {
        return Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1_000));
    }

    /** "p50", "p99.9", "max". */
    public static String name(double percentile) {
        if (percentile >= 100) {
            return "max";
        }
        return percentile == Math.rint(percentile) ? "p" + (long) percentile : "p" + percentile;
    }

    /** The value at a percentile (100: the maximum), in microseconds. */
    public static long at(Histogram h, double percentile) {
        return percentile >= 100 ? h.getMaxValue() : h.getValueAtPercentile(percentile);
    }

    /** p50 … max in milliseconds; empty when nothing was recorded. */
    public static Map<String, Double> millis(Histogram h) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (h.getTotalCount() > 0) {
            for (double p : PERCENTILES) {
                out.put(name(p), at(h, p) / 1000.0);
            }
        }
        return out;
    }
}

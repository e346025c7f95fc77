package org.hasm.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The measurements of one stage. Each frame's intended and actual send times are kept until its
 * acknowledgement; then the response time (acknowledgement − intended time: what a meter sending on
 * schedule would see, so a stalled sender cannot hide the stall, the coordinated-omission correction) and the
 * service time (acknowledgement − actual send) go into HdrHistogram recorders, which acknowledgements on the
 * target's threads write without locks and {@link #sample()} reads once a second.
 */
public final class StageRecorder {
    private final Pacer pacer;
    private final long origin;
    private final int stage;
    private final Runnable onAcknowledged;
    private final Map<Long, long[]> inFlight = new ConcurrentHashMap<>();
    private final Recorder response = new Recorder(Latencies.HIGHEST_MICROS, 3);
    private final Recorder service = new Recorder(Latencies.HIGHEST_MICROS, 3);
    private final Histogram responseTotal = Latencies.histogram();
    private final Histogram serviceTotal = Latencies.histogram();
    private final List<Point> series = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final CompletableFuture<Void> allAcknowledged = new CompletableFuture<>();
    private volatile long expected = Long.MAX_VALUE;
    private Histogram responseInterval;
    private Histogram serviceInterval;
    private long lastSample;

    /**
     * @param origin         the run's start, the zero of the series' time axis
     * @param onAcknowledged run on each acknowledgement (the closed model's next permit)
     */
    StageRecorder(Pacer pacer, long origin, int stage, Runnable onAcknowledged) {
        this.pacer = pacer;
        this.origin = origin;
        this.stage = stage;
        this.onAcknowledged = onAcknowledged;
        this.lastSample = pacer.nanoTime();
    }

    /** Before the frame goes out, or its acknowledgement could come first. */
    void sent(long deliveryId, long intended, long sentAt) {
        inFlight.put(deliveryId, new long[] {intended, sentAt});
    }

    /** False for a delivery this stage did not send (a late one from a stage that gave up on it). */
    boolean acknowledged(long deliveryId) {
        long now = pacer.nanoTime();
        long[] times = inFlight.remove(deliveryId);
        if (times == null) {
            return false;
        }
        response.recordValue(Latencies.micros(now - times[0]));
        service.recordValue(Latencies.micros(now - times[1]));
        onAcknowledged.run();
        if (acknowledged.incrementAndGet() >= expected) {
            allAcknowledged.complete(null);
        }
        return true;
    }

    /** No more frames: {@link #allAcknowledged()} completes once {@code sent} are acknowledged. */
    void sendingDone(long sent) {
        expected = sent;
        if (acknowledged.get() >= sent) {
            allAcknowledged.complete(null);
        }
    }

    CompletableFuture<Void> allAcknowledged() {
        return allAcknowledged;
    }

    long acknowledged() {
        return acknowledged.get();
    }

    /** Moves what was recorded since the last sample into the totals and the series; returns the new point. */
    synchronized Point sample() {
        long now = pacer.nanoTime();
        responseInterval = response.getIntervalHistogram(responseInterval);
        serviceInterval = service.getIntervalHistogram(serviceInterval);
        responseTotal.add(responseInterval);
        serviceTotal.add(serviceInterval);
        // a last sample right after the periodic one would turn a few acknowledgements into a huge rate
        double seconds = Math.max(1, (now - lastSample) / 1e9);
        lastSample = now;
        Point p = Point.of((now - origin) / 1e9, stage, responseInterval, seconds);
        series.add(p);
        return p;
    }

    synchronized Histogram responseTimes() {
        return responseTotal.copy();
    }

    synchronized Histogram serviceTimes() {
        return serviceTotal.copy();
    }

    synchronized List<Point> series() {
        return List.copyOf(series);
    }

    /**
     * One sample of the series: acknowledgements in it, their rate, and the response-time percentiles of just
     * those (null when there were none).
     */
    public record Point(double t, int stage, long acknowledged, double throughput, Double p50, Double p75, Double p95,
                        Double p99, Double p999, Double max) {
        static Point of(double t, int stage, Histogram h, double seconds) {
            long n = h.getTotalCount();
            return new Point(Math.round(t * 1000) / 1000.0, stage, n, Math.round(n / seconds * 10) / 10.0, ms(h, 50), ms(h, 75), ms(h, 95),
                    ms(h, 99), ms(h, 99.9), ms(h, 100));
        }

        private static Double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? null : Latencies.at(h, percentile) / 1000.0;
        }
    }
}

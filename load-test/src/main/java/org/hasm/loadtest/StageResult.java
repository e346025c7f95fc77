package org.hasm.loadtest;

import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one stage measured. {@code readingsCounted} and {@code errors} come from the central system's
 * accounts (refusals by cause, e.g. BAD_TAG for a tampered frame) plus the generator's own
 * ({@link #NO_ACKNOWLEDGEMENT}).
 */
public record StageResult(Stage stage, long sent, long tampered, long acknowledged, long readingsCounted,
                          Map<String, Long> errors, Histogram responseTimes, Histogram serviceTimes,
                          List<StageRecorder.Point> series, double seconds) {
    public static final String NO_ACKNOWLEDGEMENT = "NO_ACKNOWLEDGEMENT";

    public StageResult {
        errors = Map.copyOf(errors);
        series = List.copyOf(series);
    }

    /** Acknowledged frames a second over the stage, from its first send to its last acknowledgement. */
    public double throughput() {
        return seconds > 0 ? acknowledged / seconds : 0;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }
}

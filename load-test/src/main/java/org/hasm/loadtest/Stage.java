package org.hasm.loadtest;

import java.time.Duration;

/**
 * One step of a load test: the open model offers {@code rate} frames a second on a fixed schedule whatever
 * the answers; the closed model keeps {@code concurrency} frames unacknowledged and sends the next on each
 * acknowledgement.
 */
public record Stage(int index, Model model, double rate, int concurrency, Duration duration) {
    public enum Model { OPEN, CLOSED }

    public Stage {
        if (model == Model.OPEN && !(rate > 0)) {
            throw new IllegalArgumentException("an open-model stage needs a rate above 0, not " + rate);
        }
        if (model == Model.CLOSED && concurrency < 1) {
            throw new IllegalArgumentException("a closed-model stage needs a concurrency of at least 1, not " + concurrency);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("a stage lasts longer than " + duration);
        }
    }

    public static Stage open(int index, double rate, Duration duration) {
        return new Stage(index, Model.OPEN, rate, 0, duration);
    }

    public static Stage closed(int index, int concurrency, Duration duration) {
        return new Stage(index, Model.CLOSED, 0, concurrency, duration);
    }

    /** "5,000/s" or "closed, 64 in flight". */
    public String label() {
        return model == Model.OPEN ? String.format(java.util.Locale.ROOT, "%,.0f/s", rate)
                : "closed, " + concurrency + " in flight";
    }
}

package org.hasm.actors.sim;

import java.util.SplittableRandom;

/**
 * A household's synthetic electricity use, reproducible from (seed, household): a base load, a daily
 * shape with morning and evening peaks, more use at weekends, and noise. Deterministic per interval, so
 * the same seed gives the same energy whatever order the simulation asks in.
 */
public final class LoadProfile {
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 24 * HOUR_MS;
    private static final long EPOCH_THURSDAY_OFFSET = 3; // 1970-01-01 was a Thursday

    private final long seed;
    private final double baseWatts;
    private final double peakWatts;
    private final double weekendFactor;

    public LoadProfile(long seed, int household) {
        this.seed = seed * 1_000_003L + household;
        SplittableRandom r = new SplittableRandom(this.seed);
        this.baseWatts = 120 + r.nextDouble() * 180;     // fridge, standby, ...
        this.peakWatts = 600 + r.nextDouble() * 1400;    // cooking, washing, heating water
        this.weekendFactor = 1.0 + r.nextDouble() * 0.3;
    }

    /** Watt-hours used in the interval starting at {@code start} and lasting {@code lengthMs}. */
    public long energyWh(long start, long lengthMs) {
        double hour = (double) Math.floorMod(start, DAY_MS) / HOUR_MS;
        double shape = bump(hour, 7.5, 1.2) * 0.6 + bump(hour, 19.0, 2.0) + 0.05;
        long day = Math.floorDiv(start, DAY_MS) + EPOCH_THURSDAY_OFFSET;
        boolean weekend = Math.floorMod(day, 7) >= 5;
        double noise = new SplittableRandom(seed ^ (start * 0x9E3779B97F4A7C15L)).nextDouble(0.8, 1.2);
        double watts = (baseWatts + peakWatts * shape) * (weekend ? weekendFactor : 1.0) * noise;
        return Math.round(watts * lengthMs / HOUR_MS);
    }

    private static double bump(double hour, double centre, double width) {
        double d = (hour - centre) / width;
        return Math.exp(-d * d);
    }
}

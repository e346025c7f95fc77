package org.hasm.actors.sim.scenario;

import java.time.Duration;

/**
 * What to simulate.
 *
 * @param meters            households, one meter each
 * @param days              simulated days
 * @param seed              the same seed gives the same households, keys and logs
 * @param prepaidShare      share of households in prepaid mode (0..1)
 * @param intervalsInFlight how many metering intervals may be under way at once; more keeps the pipeline
 *                          full, fewer bounds memory
 */
public record SimulationSettings(int meters, int days, long seed, double prepaidShare, int intervalsInFlight,
                                 Duration interval) {
    public static final long START = 1_767_225_600_000L; // 2026-01-01T00:00Z, a Thursday

    public SimulationSettings {
        if (meters < 1) {
            throw new IllegalArgumentException("--meters must be at least 1 (was " + meters + ")");
        }
        if (meters > 100_000) {
            throw new IllegalArgumentException("--meters above 100,000 does not fit one process; use fewer meters");
        }
        if (days < 1 || days > 366) {
            throw new IllegalArgumentException("--days must be between 1 and 366 (was " + days + ")");
        }
        if (prepaidShare < 0 || prepaidShare > 1) {
            throw new IllegalArgumentException("the prepaid share must be between 0 and 1 (was " + prepaidShare + ")");
        }
        if (intervalsInFlight < 1) {
            throw new IllegalArgumentException("at least one interval must be allowed in flight");
        }
    }

    public int intervals() {
        return (int) (days * Duration.ofDays(1).toMillis() / interval.toMillis());
    }
}

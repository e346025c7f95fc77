package org.hasm.actors.meter;

import java.time.Duration;

/**
 * Settings of one meter that a utility would configure.
 *
 * @param anchorEveryEntries  a segment's chain head is signed and sent to the central system after this many new entries
 * @param anchorEvery         ... or after this much time, whichever comes first, if there are new entries
 * @param interval            metering interval (15 minutes by default)
 * @param maxClockCorrection  the largest clock correction accepted at once; larger ones are refused and logged
 * @param maxApplianceOffsPerWeek P13: appliance switch-offs allowed per rolling week
 * @param minApplianceInterval    P13: minimum time between two state changes of one appliance
 */
public record MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek,
                          Duration minApplianceInterval, int anchorEveryEntries, Duration anchorEvery) {
    public static final MeterConfig DEFAULT = new MeterConfig(Duration.ofMinutes(15), Duration.ofMinutes(5), 7,
            Duration.ofMinutes(30), 96, Duration.ofHours(6));

    /** The default anchoring with other load-balancing limits. */
    public MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek, Duration minApplianceInterval) {
        this(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, 96, Duration.ofHours(6));
    }

    public MeterConfig withAnchoring(int everyEntries, Duration every) {
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, everyEntries, every);
    }

    public MeterConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the metering interval must be positive");
        }
        if (anchorEveryEntries < 1 || anchorEvery.isNegative() || anchorEvery.isZero()) {
            throw new IllegalArgumentException("anchoring needs a positive number of entries and a positive period");
        }
        if (maxApplianceOffsPerWeek < 0) {
            throw new IllegalArgumentException("maxApplianceOffsPerWeek must not be negative");
        }
    }
}

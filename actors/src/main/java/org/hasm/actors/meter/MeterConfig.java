package org.hasm.actors.meter;

import java.time.Duration;

/**
 * Settings of one meter that a utility would configure.
 *
 * @param interval            metering interval (15 minutes by default)
 * @param maxClockCorrection  the largest clock correction accepted at once; larger ones are refused and logged
 * @param maxApplianceOffsPerWeek P13: appliance switch-offs allowed per rolling week
 * @param minApplianceInterval    P13: minimum time between two state changes of one appliance
 */
public record MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek,
                          Duration minApplianceInterval) {
    public static final MeterConfig DEFAULT =
            new MeterConfig(Duration.ofMinutes(15), Duration.ofMinutes(5), 7, Duration.ofMinutes(30));

    public MeterConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the metering interval must be positive");
        }
        if (maxApplianceOffsPerWeek < 0) {
            throw new IllegalArgumentException("maxApplianceOffsPerWeek must not be negative");
        }
    }
}

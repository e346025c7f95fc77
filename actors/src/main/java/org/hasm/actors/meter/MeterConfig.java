package org.hasm.actors.meter;

import java.time.Duration;

/**
 * Settings of one meter that a utility would configure.
 *
 * @param anchorEveryEntries  a segment's chain head is signed and sent to the central system after this many new entries
 * @param anchorEvery         ... or after this much time, whichever comes first, if there are new entries
 * @param refusalBudget       refused attempts logged one by one per window, interface and kind; the rest are folded
 * @param refusalWindow       the folding window
 * @param interval            metering interval (15 minutes by default)
 * @param maxClockCorrection  the largest clock correction accepted at once; larger ones are refused and logged
 * @param maxApplianceOffsPerWeek P13: appliance switch-offs allowed per rolling week
 * @param minApplianceInterval    P13: minimum time between two state changes of one appliance
 */
public record MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek,
                          Duration minApplianceInterval, int anchorEveryEntries, Duration anchorEvery,
                          int refusalBudget, Duration refusalWindow) {
    public static final MeterConfig DEFAULT = new MeterConfig(Duration.ofMinutes(15), Duration.ofMinutes(5), 7,
            Duration.ofMinutes(30), 96, Duration.ofHours(6), 100, Duration.ofHours(1));

    /** The default anchoring and folding with other load-balancing limits. */
    public MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek, Duration minApplianceInterval) {
        this(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, 96, Duration.ofHours(6), 100,
                Duration.ofHours(1));
    }

    public MeterConfig withAnchoring(int everyEntries, Duration every) {
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, everyEntries, every,
                refusalBudget, refusalWindow);
    }

    public MeterConfig withRefusalFolding(int budget, Duration window) {
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, anchorEveryEntries,
                anchorEvery, budget, window);
    }

    public MeterConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the metering interval must be positive");
        }
        if (anchorEveryEntries < 1 || anchorEvery.isNegative() || anchorEvery.isZero()) {
            throw new IllegalArgumentException("anchoring needs a positive number of entries and a positive period");
        }
        if (refusalBudget < 0 || refusalWindow.isNegative() || refusalWindow.isZero()) {
            throw new IllegalArgumentException("refusal folding needs a budget of at least 0 and a positive window");
        }
        if (maxApplianceOffsPerWeek < 0) {
            throw new IllegalArgumentException("maxApplianceOffsPerWeek must not be negative");
        }
    }
}

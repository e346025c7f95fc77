package org.hasm.actors.meter;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.Part;

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
 * @param quotas              entries each log segment may hold ({@link SegmentQuota}); value segments hold only
 *                            accepted values and have none
 */
public record MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek,
                          Duration minApplianceInterval, int anchorEveryEntries, Duration anchorEvery,
                          int refusalBudget, Duration refusalWindow, Map<Part, SegmentQuota> quotas) {
    /**
     * A year of 15-minute readings fits the MetrologyLog twice over (its acknowledged readings may be
     * released before that); 10,000 entries hold years of commands and switch events.
     */
    public static final Map<Part, SegmentQuota> DEFAULT_QUOTAS = Map.of(
            Part.MetrologyLog, SegmentQuota.of(70_000),
            Part.SecurityLog, SegmentQuota.of(10_000),
            Part.OffSwitchLog, SegmentQuota.of(10_000));

    public static final MeterConfig DEFAULT = new MeterConfig(Duration.ofMinutes(15), Duration.ofMinutes(5), 7,
            Duration.ofMinutes(30));

    /** The default anchoring, folding and quotas with other load-balancing limits. */
    public MeterConfig(Duration interval, Duration maxClockCorrection, int maxApplianceOffsPerWeek, Duration minApplianceInterval) {
        this(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, 96, Duration.ofHours(6), 100,
                Duration.ofHours(1), DEFAULT_QUOTAS);
    }

    /** The same settings for another metering interval (a scenario's {@code interval}). */
    public MeterConfig withInterval(Duration other) {
        return new MeterConfig(other, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, anchorEveryEntries,
                anchorEvery, refusalBudget, refusalWindow, quotas);
    }

    public MeterConfig withAnchoring(int everyEntries, Duration every) {
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, everyEntries, every,
                refusalBudget, refusalWindow, quotas);
    }

    public MeterConfig withRefusalFolding(int budget, Duration window) {
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, anchorEveryEntries,
                anchorEvery, budget, window, quotas);
    }

    /** The same settings with {@code quota} for the log segment {@code segment}. */
    public MeterConfig withQuota(Part segment, SegmentQuota quota) {
        if (!segment.isLog()) {
            throw new IllegalArgumentException(segment + " is not a log segment");
        }
        Map<Part, SegmentQuota> next = new EnumMap<>(Part.class);
        next.putAll(quotas);
        next.put(segment, quota);
        return new MeterConfig(interval, maxClockCorrection, maxApplianceOffsPerWeek, minApplianceInterval, anchorEveryEntries,
                anchorEvery, refusalBudget, refusalWindow, next);
    }

    /** The quota of {@code segment}. */
    public SegmentQuota quota(Part segment) {
        return quotas.getOrDefault(segment, SegmentQuota.UNLIMITED);
    }

    public MeterConfig {
        quotas = Map.copyOf(quotas);
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

package org.hasm.actors.meter;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * P13, the reasonableness of load-balancing commands (paper III-C): at most N switch-offs of an
 * appliance per rolling week, and a minimum time between two state changes so nobody can wear an
 * appliance out by toggling it.
 */
final class LoadBalancingCheck {
    private static final long WEEK_MS = 7L * 24 * 3_600_000;

    private final int maxOffsPerWeek;
    private final long minIntervalMs;
    private final Map<String, Deque<Long>> offs = new HashMap<>();
    private final Map<String, Long> lastChange = new HashMap<>();

    LoadBalancingCheck(MeterConfig config) {
        this.maxOffsPerWeek = config.maxApplianceOffsPerWeek();
        this.minIntervalMs = config.minApplianceInterval().toMillis();
    }

    /** Empty if the command is reasonable (and is then counted), else why not. */
    Optional<String> admit(String appliance, boolean on, long now) {
        Long last = lastChange.get(appliance);
        if (last != null && now - last < minIntervalMs) {
            return Optional.of("less than " + minIntervalMs / 60_000 + " min since the last change");
        }
        Deque<Long> recent = offs.computeIfAbsent(appliance, a -> new ArrayDeque<>());
        while (!recent.isEmpty() && now - recent.peekFirst() >= WEEK_MS) {
            recent.pollFirst();
        }
        if (!on && recent.size() >= maxOffsPerWeek) {
            return Optional.of("already " + maxOffsPerWeek + " switch-offs this week");
        }
        if (!on) {
            recent.addLast(now);
        }
        lastChange.put(appliance, now);
        return Optional.empty();
    }
}

package org.hasm.actors.meter;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Energy prices by hour of day (UTC), in milli-cents per kWh: one price for a flat tariff, different
 * prices for a time-of-use tariff.
 */
public record Tariff(List<Long> milliCentsPerKwhByHour) {
    private static final long HOUR_MS = 3_600_000L;

    public Tariff {
        milliCentsPerKwhByHour = List.copyOf(milliCentsPerKwhByHour);
        if (milliCentsPerKwhByHour.size() != 24 || milliCentsPerKwhByHour.stream().anyMatch(p -> p < 0)) {
            throw new IllegalArgumentException("a tariff has 24 non-negative hourly prices");
        }
    }

    public static Tariff flat(long milliCentsPerKwh) {
        return new Tariff(java.util.Collections.nCopies(24, milliCentsPerKwh));
    }

    /** {@code peak} from {@code peakFrom} to {@code peakTo} (hours, UTC), {@code offPeak} otherwise. */
    public static Tariff timeOfUse(long offPeak, long peak, int peakFrom, int peakTo) {
        Long[] prices = new Long[24];
        for (int h = 0; h < 24; h++) {
            prices[h] = h >= peakFrom && h < peakTo ? peak : offPeak;
        }
        return new Tariff(List.of(prices));
    }

    public long priceAt(long epochMillis) {
        int hour = (int) Math.floorMod(epochMillis / HOUR_MS, 24L);
        return milliCentsPerKwhByHour.get(hour);
    }

    /** Cost in milli-cents of {@code wattHours} consumed in the interval starting at {@code epochMillis}. */
    public long cost(long epochMillis, long wattHours) {
        return Math.multiplyExact(priceAt(epochMillis), wattHours) / 1000;
    }

    public String encode() {
        return milliCentsPerKwhByHour.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    public static Tariff decode(String text) {
        return new Tariff(java.util.Arrays.stream(text.split(",")).map(Long::valueOf).toList());
    }
}

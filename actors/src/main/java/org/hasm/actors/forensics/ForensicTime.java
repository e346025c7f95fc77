package org.hasm.actors.forensics;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.hasm.actors.sim.scenario.SimulationSettings;
import org.hasm.actors.sim.scenario.ScenarioTime;

/**
 * Times of the simulated run. Entries carry epoch milliseconds of simulated time (UTC); on the command line
 * a time is an ISO instant ({@code 2026-01-01T18:00:00Z}, or without zone, read as UTC), a scenario's
 * {@code day 1 18:00} (day 1 is the run's first day, {@link SimulationSettings#START}), or epoch milliseconds.
 */
public final class ForensicTime {
    private ForensicTime() {
    }

    public static Optional<Long> parse(String text) {
        String t = text.strip();
        if (t.matches("\\d+")) {
            try {
                return Optional.of(Long.parseLong(t)); // epoch milliseconds, 0 included
            } catch (NumberFormatException e) {
                return Optional.empty(); // more than a long holds
            }
        }
        Optional<ScenarioTime> scenario = ScenarioTime.parse(t);
        if (scenario.isPresent()) {
            return Optional.of(SimulationSettings.START + scenario.get().sinceStart().toMillis());
        }
        try {
            return Optional.of(Instant.parse(t).toEpochMilli());
        } catch (DateTimeParseException e) {
            // not an instant with a zone; try a local date-time, read as UTC
        }
        try {
            return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 2026-01-01T18:00:00Z}. */
    public static String show(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }

    private static final java.util.regex.Pattern EPOCH_MILLIS = java.util.regex.Pattern.compile("\\b1\\d{12}\\b");

    /**
     * {@code text} with every epoch-millisecond time of this century (13 digits starting with 1) shown as an
     * instant: entries such as readings ("1767309300000..1767310200000 import=59Wh") become readable in tables.
     */
    public static String readable(String text) {
        return EPOCH_MILLIS.matcher(text).replaceAll(m -> show(Long.parseLong(m.group())));
    }

    /** What the parser accepts, for messages. */
    public static final String FORMATS = "an ISO instant (2026-01-01T18:00:00Z), a scenario time (day 1 18:00)"
            + " or epoch milliseconds";
}

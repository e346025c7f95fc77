package org.hasm.actors.sim.scenario;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A moment of the simulated run as a scenario writes it, {@code day 1 18:00}: day 1 is the run's first
 * day, times are UTC like the tariffs'.
 */
public record ScenarioTime(int day, int hour, int minute) implements Comparable<ScenarioTime> {
    private static final Pattern FORMAT = Pattern.compile("day\\s+(\\d{1,3})\\s+(\\d{1,2}):(\\d{2})");

    public ScenarioTime {
        if (day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            throw new IllegalArgumentException("no such time: day " + day + " " + hour + ":" + minute);
        }
    }

    /** Empty unless {@code text} is a time like {@code day 1 18:00} with an hour 0..23 and a minute 0..59. */
    public static Optional<ScenarioTime> parse(String text) {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int day = Integer.parseInt(m.group(1));
        int hour = Integer.parseInt(m.group(2));
        int minute = Integer.parseInt(m.group(3));
        if (day < 1 || hour > 23 || minute > 59) {
            return Optional.empty();
        }
        return Optional.of(new ScenarioTime(day, hour, minute));
    }

    /** The time since the start of the run. */
    public Duration sinceStart() {
        return Duration.ofDays(day - 1L).plusHours(hour).plusMinutes(minute);
    }

    /** The index of the metering interval this moment falls in. */
    public int intervalIndex(Duration interval) {
        return (int) (sinceStart().toMillis() / interval.toMillis());
    }

    @Override
    public int compareTo(ScenarioTime o) {
        return sinceStart().compareTo(o.sinceStart());
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "day %d %02d:%02d", day, hour, minute);
    }
}

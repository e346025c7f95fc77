package org.hasm.actors.sim.scenario;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.hasm.policy.Part;

/**
 * A simulation scenario (DESIGN section 9): the neighbourhood to simulate, a timeline of operator actions
 * and attacks, and the outcome its test asserts. Written as HOCON under {@code scenarios/} (see
 * {@code scenarios/README.md}); {@link #load(String)} reads one by file or by name.
 *
 * <p>Everything is checked here, so a scenario that exists can be run: times lie within the run, meters
 * within the neighbourhood, shares between 0 and 1. A mistake is a {@link ScenarioException} with one line.
 *
 * @param source       where it came from, for messages: a file path or {@code scenarios/NAME.conf}
 * @param interval     the metering interval; divides a day
 * @param timeline     in time order (events at the same time in the order the file lists them)
 * @param expect       the outcomes its test asserts
 */
public record Scenario(String name, String description, String source, int meters, int days, long seed,
                       Duration interval, Speed speed, Shares shares, Aggregation aggregation,
                       Concentrator concentrator, List<TimelineEvent> timeline, Map<Expectation, Long> expect) {

    /** The scenario {@code hasm simulate} runs when none is named. */
    public static final String DEFAULT_NAME = "neighbourhood";

    /** The scenarios the actors jar carries as {@code scenarios/NAME.conf}. */
    public static final List<String> BUILT_IN = List.of("neighbourhood", "theft", "blackout-attack", "log-flood",
            "prepaid-week", "compromised-module", "tampering-concentrator");

    public static final int MAX_METERS = 100_000;
    public static final int MAX_DAYS = 366;

    /** Shares of the households, each 0 to 1, drawn independently per household from the seed. */
    public record Shares(double prepaid, double pv, double gas, double loadBalancing) {
        public static final Shares NONE = new Shares(0, 0, 0, 0);
    }

    /**
     * How fast virtual time runs: as fast as possible, or {@code factor} simulated seconds per wall-clock
     * second (900 runs a 15-minute interval a second).
     */
    public record Speed(double factor) {
        public static final Speed AS_FAST_AS_POSSIBLE = new Speed(0);

        public boolean asFastAsPossible() {
            return factor == 0;
        }

        /** The wall-clock time one interval should take at least; zero as fast as possible. */
        public Duration wallTimePer(Duration interval) {
            return asFastAsPossible() ? Duration.ZERO : Duration.ofNanos((long) (interval.toNanos() / factor));
        }
    }

    /** The concentrator's aggregation scheme (DESIGN section 7). */
    public enum Aggregation {
        ZERO_SUM("zero-sum"), PAILLIER("paillier");

        private final String key;

        Aggregation(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /** Which concentrator serves the neighbourhood; a tampering one edits or replays frames when the timeline says. */
    public enum Concentrator {
        HONEST("honest"), TAMPERING("tampering");

        private final String key;

        Concentrator(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    public record TimelineEvent(ScenarioTime at, Action action) {
    }

    public Scenario {
        Check check = new Check(source);
        check.that(name != null && !name.isBlank(), "name", "expected a name, got nothing");
        check.that(meters >= 1 && meters <= MAX_METERS, "meters",
                String.format(Locale.ROOT, "expected 1 to %,d households, got %d", MAX_METERS, meters));
        check.that(days >= 1 && days <= MAX_DAYS, "days", "expected 1 to " + MAX_DAYS + " days, got " + days);
        check.that(interval.compareTo(Duration.ofMinutes(1)) >= 0 && interval.compareTo(Duration.ofDays(1)) <= 0
                        && interval.toMillis() % 60_000 == 0 && Duration.ofDays(1).toMillis() % interval.toMillis() == 0, "interval",
                "expected an interval of whole minutes that divides a day, like 15 minutes, got " + describe(interval));
        check.that(speed.factor() >= 0 && Double.isFinite(speed.factor()), "speed",
                "expected as-fast-as-possible or a factor above 0, got " + speed.factor());
        share(check, "shares.prepaid", shares.prepaid());
        share(check, "shares.pv", shares.pv());
        share(check, "shares.gas", shares.gas());
        share(check, "shares.load-balancing", shares.loadBalancing());
        Duration end = Duration.ofDays(days);
        for (int i = 0; i < timeline.size(); i++) {
            checkEvent(check, "timeline[" + i + "]", timeline.get(i), meters, days, end, concentrator);
        }
        expect.forEach((e, v) -> check.that(v >= 0, "expect." + e.key(), "expected a count of 0 or more, got " + v));
        description = description == null ? "" : description;
        timeline = timeline.stream().sorted(Comparator.comparing(TimelineEvent::at)).toList();
        expect = expect.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(expect));
    }

    /** Reads a scenario from a file, or by name from the {@code scenarios/} the jar carries. */
    public static Scenario load(String fileOrName) {
        return ScenarioLoader.load(fileOrName);
    }

    /** The default scenario, {@value #DEFAULT_NAME}. */
    public static Scenario loadDefault() {
        return load(DEFAULT_NAME);
    }

    /** The same scenario for another number of households (--meters); checked again: meters named must exist. */
    public Scenario withMeters(int n) {
        return new Scenario(name, description, source + " with --meters " + n, n, days, seed, interval, speed, shares,
                aggregation, concentrator, timeline, expect);
    }

    /** The same scenario for another number of days (--days); checked again: every event must fall within them. */
    public Scenario withDays(int d) {
        return new Scenario(name, description, source + " with --days " + d, meters, d, seed, interval, speed, shares,
                aggregation, concentrator, timeline, expect);
    }

    public Scenario withSeed(long s) {
        return new Scenario(name, description, source, meters, days, s, interval, speed, shares, aggregation,
                concentrator, timeline, expect);
    }

    public int intervals() {
        return (int) (Duration.ofDays(days).toMillis() / interval.toMillis());
    }

    public OptionalLong expected(Expectation e) {
        Long v = expect.get(e);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** Every operator the timeline names, requesting or approving (their keys: {@code NeighbourhoodPlan.operatorKeys}). */
    public java.util.Set<String> operators() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (TimelineEvent e : timeline) {
            if (e.action() instanceof Action.OperatorBulkSwitchOff b) {
                names.add(b.operator());
                names.addAll(b.approvals());
            }
        }
        return names;
    }

    /** The engine's settings for this scenario. */
    public SimulationSettings toSettings(int intervalsInFlight) {
        return new SimulationSettings(meters, days, seed, shares.prepaid(), intervalsInFlight, interval);
    }

    private static String describe(Duration d) {
        return d.toMillis() % 60_000 == 0 ? d.toMinutes() + " minutes" : d.toMillis() + " ms";
    }

    private static void share(Check check, String path, double value) {
        check.that(value >= 0 && value <= 1, path, "expected a share from 0 to 1, got " + value);
    }

    private static void checkEvent(Check check, String path, TimelineEvent event, int meters, int days, Duration end,
                                   Concentrator concentrator) {
        check.that(event.at().sinceStart().compareTo(end) < 0, path + ".at",
                event.at() + " is after the end of the run (" + days + (days == 1 ? " day)" : " days)"));
        Action a = event.action();
        if (a instanceof Action.OperatorBulkSwitchOff b) {
            b.meters().ifPresent(n -> check.that(n >= 1 && n <= meters, path + ".meters",
                    "expected all or 1 to " + meters + " meters, got " + n));
            check.that(!b.operator().isBlank(), path + ".operator", "expected the operator's name, got nothing");
            check.that(!b.approvals().contains(b.operator()), path + ".approvals",
                    "the operator " + b.operator() + " cannot approve their own request");
            check.that(new HashSet<>(b.approvals()).size() == b.approvals().size(), path + ".approvals",
                    "expected distinct operators, got " + b.approvals());
        } else if (a instanceof Action.Theft t) {
            meter(check, path, t.meter(), meters);
            check.that(t.fraction() > 0 && t.fraction() <= 1, path + ".fraction",
                    "expected a fraction above 0 and at most 1, got " + t.fraction());
            t.until().ifPresent(u -> {
                check.that(u.compareTo(event.at()) > 0, path + ".until", u + " is not after the theft starts (" + event.at() + ")");
                check.that(u.sinceStart().compareTo(end) <= 0, path + ".until",
                        u + " is after the end of the run (" + days + (days == 1 ? " day)" : " days)"));
            });
        } else if (a instanceof Action.LogFlood f) {
            meter(check, path, f.meter(), meters);
            check.that(f.commands() >= 1 && f.commands() <= 1_000_000, path + ".commands",
                    "expected 1 to 1,000,000 commands, got " + f.commands());
        } else if (a instanceof Action.TopUp u) {
            meter(check, path, u.meter(), meters);
            check.that(u.cents() >= 1, path + ".cents", "expected an amount of 1 cent or more, got " + u.cents());
        } else if (a instanceof Action.TariffChange c) {
            check.that(c.offPeak() >= 0, path + ".off-peak", "expected a price of 0 or more, got " + c.offPeak());
            check.that(c.peak() >= 0, path + ".peak", "expected a price of 0 or more, got " + c.peak());
            check.that(c.peakFrom() >= 0 && c.peakFrom() < c.peakTo() && c.peakTo() <= 24, path + ".peak-from",
                    "expected peak hours with 0 <= peak-from < peak-to <= 24, got " + c.peakFrom() + " to " + c.peakTo());
        } else if (a instanceof Action.CompromisedModule m) {
            meter(check, path, m.meter(), meters);
            check.that(m.part().kind() == Part.Kind.MODULE, path + ".part",
                    "expected one of the meter's modules (" + modules() + "), got " + m.part());
        } else if (a instanceof Action.TamperingConcentrator c) {
            check.that(c.count() >= 1, path + ".count", "expected 1 or more frames, got " + c.count());
            check.that(concentrator == Concentrator.TAMPERING, path + ".action",
                    "tampering-concentrator needs concentrator = tampering at the top of the file");
        }
    }

    private static void meter(Check check, String path, int meter, int meters) {
        check.that(meter >= 0 && meter < meters, path + ".meter",
                "expected a meter number from 0 to " + (meters - 1) + ", got " + meter);
    }

    static String modules() {
        return Arrays.stream(Part.values()).filter(p -> p.kind() == Part.Kind.MODULE).map(Part::name)
                .collect(Collectors.joining(", "));
    }

    /** Throws the first failed check as one line. */
    private record Check(String source) {
        void that(boolean holds, String path, String problem) {
            if (!holds) {
                throw new ScenarioException(source, 0, path, problem);
            }
        }
    }
}

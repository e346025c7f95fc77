package org.hasm.actors.concentrator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fraud detection for one concentrator: per interval, the feeder (transformer) meter's energy against the
 * sum of all groups' aggregates. Expected: {@code aggregate ≈ feeder × (1 − losses)}; an interval is
 * suspicious when {@code feeder × (1 − losses) − aggregate} exceeds {@code threshold × feeder}, and every
 * {@code alertAfter} consecutive suspicious intervals make one alert.
 *
 * <p>An interval in which a meter was missing or a group withheld its aggregate is inconclusive: the
 * missing meters still drew energy the aggregate cannot show, so judging it would raise false alarms. It
 * neither counts towards nor breaks a streak. Intervals are judged in round order. Not thread-safe: owned
 * by one actor.
 */
final class FeederComparison {
    enum Outcome { HONEST, SUSPICIOUS, INCONCLUSIVE }

    record Verdict(long round, Outcome outcome, long feederWh, long aggregateWh, int streak, Optional<Streak> alert) {
    }

    /** The intervals an alert covers. */
    record Streak(long fromRound, long toRound, long feederWh, long aggregateWh) {
    }

    private static final class Interval {
        Long feederWh;
        final Map<String, Long> totals = new HashMap<>();
        boolean inconclusive;
    }

    /** Intervals waiting for data beyond this: the oldest is given up as inconclusive, so one lost report cannot stall judging. */
    static final int MAX_PENDING = 96;

    private final int groups;
    private final double losses;
    private final double threshold;
    private final int alertAfter;
    private final TreeMap<Long, Interval> pending = new TreeMap<>();
    private long lastJudged = Long.MIN_VALUE;
    private int streak;
    /** The last {@code alertAfter} suspicious verdicts of the current streak. */
    private final ArrayDeque<Verdict> recent = new ArrayDeque<>();

    FeederComparison(int groups, double losses, double threshold, int alertAfter) {
        this.groups = groups;
        this.losses = losses;
        this.threshold = threshold;
        this.alertAfter = alertAfter;
    }

    List<Verdict> feeder(long round, long wh) {
        if (alreadyJudged(round)) {
            return List.of();
        }
        interval(round).feederWh = wh;
        return judge();
    }

    /** A group's exact total for a round; {@code complete} is false when recovery stood in for missing meters. */
    List<Verdict> groupTotal(long round, String group, long wh, boolean complete) {
        if (alreadyJudged(round)) {
            return List.of();
        }
        Interval i = interval(round);
        i.totals.put(group, wh);
        i.inconclusive |= !complete;
        return judge();
    }

    List<Verdict> groupWithheld(long round, String group) {
        if (alreadyJudged(round)) {
            return List.of();
        }
        Interval i = interval(round);
        i.totals.put(group, 0L);
        i.inconclusive = true;
        return judge();
    }

    /** A report for an interval given up on: judging it now would break the order of the streak. */
    private boolean alreadyJudged(long round) {
        return lastJudged != Long.MIN_VALUE && round <= lastJudged;
    }

    private Interval interval(long round) {
        return pending.computeIfAbsent(round, r -> new Interval());
    }

    private List<Verdict> judge() {
        List<Verdict> verdicts = new ArrayList<>();
        while (!pending.isEmpty()) {
            Map.Entry<Long, Interval> first = pending.firstEntry();
            Interval i = first.getValue();
            if (i.feederWh == null || i.totals.size() < groups) {
                if (pending.size() <= MAX_PENDING) {
                    break;
                }
                i.inconclusive = true;
                i.feederWh = i.feederWh == null ? 0 : i.feederWh;
            }
            pending.pollFirstEntry();
            verdicts.add(judge(first.getKey(), i));
        }
        return verdicts;
    }

    private Verdict judge(long round, Interval i) {
        if (lastJudged != Long.MIN_VALUE && round != lastJudged + 1) {
            endStreak(); // a gap in the rounds: the intervals are no longer consecutive
        }
        lastJudged = round;
        long aggregate = i.totals.values().stream().mapToLong(Long::longValue).sum();
        long feeder = i.feederWh;
        if (i.inconclusive) {
            return new Verdict(round, Outcome.INCONCLUSIVE, feeder, aggregate, streak, Optional.empty());
        }
        double gap = feeder * (1 - losses) - aggregate;
        if (feeder <= 0 || gap <= threshold * feeder) {
            endStreak();
            return new Verdict(round, Outcome.HONEST, feeder, aggregate, 0, Optional.empty());
        }
        streak++;
        Verdict v = new Verdict(round, Outcome.SUSPICIOUS, feeder, aggregate, streak, Optional.empty());
        recent.addLast(v);
        if (recent.size() > alertAfter) {
            recent.removeFirst();
        }
        if (streak % alertAfter != 0) {
            return v;
        }
        Streak s = new Streak(recent.getFirst().round(), round, recent.stream().mapToLong(Verdict::feederWh).sum(),
                recent.stream().mapToLong(Verdict::aggregateWh).sum());
        return new Verdict(round, Outcome.SUSPICIOUS, feeder, aggregate, streak, Optional.of(s));
    }

    private void endStreak() {
        streak = 0;
        recent.clear();
    }
}

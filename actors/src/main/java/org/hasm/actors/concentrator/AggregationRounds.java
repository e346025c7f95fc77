package org.hasm.actors.concentrator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.link.CentralSystemLink.Aggregate;
import org.hasm.actors.link.CentralSystemLink.AggregateRead;
import org.hasm.actors.link.CentralSystemLink.AggregateReading;
import org.hasm.actors.link.CentralSystemLink.AggregateWithheld;
import org.hasm.actors.link.CentralSystemLink.CombinedShare;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.slf4j.Logger;

/**
 * Aggregation (P14) for one concentrator's groups, apart from the actor because its rounds are a state
 * machine of their own: per group and round it folds the meters' shares; a round closed with meters missing
 * gets recovery shares from the present ones. It publishes nothing over fewer than {@code minimumGroupSize}
 * meters, and asks no recovery then either (a recovery over one present meter would be that meter's
 * reading). Zero-sum totals are read here; Paillier ones by the central system, which answers with
 * {@link AggregateRead}. Not thread-safe: owned by one actor.
 */
final class AggregationRounds {

    /** Where each group's total for a round, or its absence, goes: fraud detection. */
    interface Totals {
        void total(long round, String group, long totalWh, boolean complete);

        void withheld(long round, String group);
    }

    /** Rounds kept per group after they are done, to recognise late shares. */
    private static final int RETAINED_ROUNDS = 192;

    private enum RoundState { OPEN, RECOVERING, DONE }

    private static final class Round {
        RoundState state = RoundState.OPEN;
        Map<Integer, Share> shares = new TreeMap<>();
        Map<Integer, Share> recovery = new TreeMap<>();
        Set<Integer> missing = Set.of();
    }

    private static final class Group {
        final AggregationGroup spec;
        final TreeMap<Long, Round> rounds = new TreeMap<>();
        /** Rounds at or below this were forgotten; any share for them is late. */
        long horizon = Long.MIN_VALUE;
        /** Paillier rounds sent to the reader, and whether all meters took part. */
        final Map<Long, Boolean> awaitingRead = new HashMap<>();

        Group(AggregationGroup spec) {
            this.spec = spec;
        }

        Round round(long round) {
            return round <= horizon ? null : rounds.computeIfAbsent(round, r -> new Round());
        }

        void forgetOldRounds() {
            while (rounds.size() > RETAINED_ROUNDS && rounds.firstEntry().getValue().state == RoundState.DONE) {
                horizon = rounds.pollFirstEntry().getKey();
            }
            awaitingRead.keySet().removeIf(r -> r <= horizon); // a reader that never answered
        }
    }

    private final String concentratorId;
    private final int minimumGroupSize;
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final MeterRoster roster;
    /** The aggregates' current destination (it moves with a resumed simulation's driver). */
    private final Consumer<Aggregate> aggregates;
    private final ActorRef<AggregateRead> reads;
    private final Totals totals;
    /** The actor's handling of a message it ignores: counted and logged there. */
    private final Consumer<Object> stray;
    /** The actor's logger, asked for at each line as the actor itself does. */
    private final Supplier<Logger> log;
    private long sharesReceived;
    private long lateShares;
    private long recoveryRequests;
    private long aggregatesPublished;
    private long aggregatesWithheld;

    AggregationRounds(String concentratorId, int minimumGroupSize, List<AggregationGroup> groups, MeterRoster roster,
                      Consumer<Aggregate> aggregates, ActorRef<AggregateRead> reads, Totals totals,
                      Consumer<Object> stray, Supplier<Logger> log) {
        this.concentratorId = concentratorId;
        this.minimumGroupSize = minimumGroupSize;
        for (AggregationGroup g : groups) {
            this.groups.put(g.id(), new Group(g));
        }
        this.roster = roster;
        this.aggregates = aggregates;
        this.reads = reads;
        this.totals = totals;
        this.stray = stray;
        this.log = log;
    }

    void share(AggregationShare s) {
        sharesReceived++;
        MeterRoster.Member m = roster.member(s.meterId());
        if (m == null || m.index() != s.meterIndex() || s.share() == null) {
            stray.accept(s);
            return;
        }
        Group g = groups.get(m.group());
        long round = s.share().round();
        Round r = g.round(round);
        int i = m.index();
        if (r == null || r.state == RoundState.DONE || (!s.recovery() && r.missing.contains(i))) {
            lateShares++; // once recovery was asked, a missing meter's late share would break the sum
            return;
        }
        if (!s.recovery()) {
            if (r.shares.putIfAbsent(i, s.share()) != null) {
                stray.accept(s);
            } else if (r.state == RoundState.OPEN && r.shares.size() == g.spec.size()) {
                finish(g, round, r);
            }
            return;
        }
        if (r.state != RoundState.RECOVERING || !r.shares.containsKey(i) || r.recovery.putIfAbsent(i, s.share()) != null) {
            stray.accept(s);
        } else if (r.recovery.size() == r.shares.size()) {
            finish(g, round, r);
        }
    }

    /** Interval {@code round} is over: groups with meters missing go to recovery, or are withheld under k. */
    void closeInterval(long round) {
        for (Group g : groups.values()) {
            Round r = g.round(round);
            if (r == null || r.state != RoundState.OPEN) {
                continue;
            }
            int present = r.shares.size();
            if (present < minimumGroupSize) {
                withhold(g, round, r, present, "only " + present + " of " + g.spec.size()
                        + " meters sent a share, fewer than the minimum group size " + minimumGroupSize + " (P14)");
                continue;
            }
            Set<Integer> missing = new HashSet<>();
            for (int i = 0; i < g.spec.size(); i++) {
                if (!r.shares.containsKey(i)) {
                    missing.add(i);
                }
            }
            r.state = RoundState.RECOVERING;
            r.missing = Set.copyOf(missing);
            AggregationRound ask = new AggregationRound(round, r.missing);
            for (int i : r.shares.keySet()) {
                roster.member(g.spec.id(), i).communications().accept(ask);
            }
            recoveryRequests++;
        }
    }

    private void finish(Group g, long round, Round r) {
        List<Share> all = new ArrayList<>(r.shares.values());
        all.addAll(r.recovery.values());
        int contributors = r.shares.size();
        boolean complete = r.missing.isEmpty();
        Share combined;
        try {
            combined = g.spec.combine(all);
        } catch (IllegalArgumentException e) {
            withhold(g, round, r, contributors, "the shares do not combine: " + e.getMessage());
            return;
        }
        done(g, r);
        aggregatesPublished++;
        if (g.spec.reader().isPresent()) {
            long total = g.spec.reader().get().total(combined);
            aggregates.accept(new AggregateReading(concentratorId, g.spec.id(), round, contributors, g.spec.size(), total));
            totals.total(round, g.spec.id(), total, complete);
        } else {
            g.awaitingRead.put(round, complete);
            aggregates.accept(new CombinedShare(concentratorId, g.spec.id(), round, contributors, g.spec.size(),
                    ((Share.Encrypted) combined).ciphertext(), reads));
        }
    }

    private void withhold(Group g, long round, Round r, int contributors, String reason) {
        done(g, r);
        aggregatesWithheld++;
        log.get().info("{}: no aggregate for group {} round {}: {}", concentratorId, g.spec.id(), round, reason);
        aggregates.accept(new AggregateWithheld(concentratorId, g.spec.id(), round, contributors, reason));
        totals.withheld(round, g.spec.id());
    }

    private void done(Group g, Round r) {
        r.state = RoundState.DONE;
        r.shares = Map.of();
        r.recovery = Map.of();
        g.forgetOldRounds();
    }

    /** The central system read a Paillier round's total. */
    void aggregateRead(AggregateRead a) {
        Group g = groups.get(a.group());
        Boolean complete = g == null ? null : g.awaitingRead.remove(a.round());
        if (complete == null) {
            stray.accept(a);
            return;
        }
        totals.total(a.round(), a.group(), a.totalWh(), complete);
    }

    long sharesReceived() {
        return sharesReceived;
    }

    long lateShares() {
        return lateShares;
    }

    long recoveryRequests() {
        return recoveryRequests;
    }

    long aggregatesPublished() {
        return aggregatesPublished;
    }

    long aggregatesWithheld() {
        return aggregatesWithheld;
    }
}

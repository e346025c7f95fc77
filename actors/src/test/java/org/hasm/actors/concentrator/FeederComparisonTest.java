package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hasm.actors.concentrator.FeederComparison.Outcome;
import org.hasm.actors.concentrator.FeederComparison.Verdict;
import org.junit.jupiter.api.Test;

class FeederComparisonTest {
    private final FeederComparison comparison = new FeederComparison(1, 0.03, 0.02, 3);

    private List<Verdict> interval(long round, long feederWh, long aggregateWh) {
        List<Verdict> verdicts = new ArrayList<>(comparison.groupTotal(round, "g", aggregateWh, true));
        verdicts.addAll(comparison.feeder(round, feederWh));
        return verdicts;
    }

    @Test
    void aGapWithinTheLossesAndThresholdIsHonestAndABiggerOneIsSuspicious() {
        assertEquals(Outcome.HONEST, interval(1, 1_000, 960).get(0).outcome()); // 970 expected, 1 % short
        assertEquals(Outcome.SUSPICIOUS, interval(2, 1_000, 940).get(0).outcome()); // 3 % short
        assertEquals(Outcome.HONEST, interval(3, 1_000, 1_100).get(0).outcome()); // more metered than fed: not theft
    }

    @Test
    void anAlertNeedsNConsecutiveSuspiciousIntervalsAndAnHonestOneBreaksTheStreak() {
        interval(1, 1_000, 900);
        interval(2, 1_000, 900);
        interval(3, 1_000, 970);
        interval(4, 1_000, 900);
        interval(5, 1_000, 900);
        Verdict third = interval(6, 1_000, 900).get(0);
        assertTrue(third.alert().isPresent());
        assertEquals(new FeederComparison.Streak(4, 6, 3_000, 2_700), third.alert().get());
    }

    @Test
    void anIntervalThatNeverCompletesIsGivenUpSoLaterOnesAreStillJudged() {
        comparison.groupTotal(0, "g", 500, true); // its feeder reading never comes
        List<Verdict> verdicts = new ArrayList<>();
        for (long round = 1; round <= FeederComparison.MAX_PENDING; round++) {
            verdicts.addAll(interval(round, 1_000, 970));
        }
        assertEquals(Outcome.INCONCLUSIVE, verdicts.get(0).outcome());
        assertEquals(0, verdicts.get(0).round());
        for (int i = 0; i < verdicts.size(); i++) {
            assertEquals(i, verdicts.get(i).round(), "judged in round order");
        }
        assertEquals(FeederComparison.MAX_PENDING + 1, verdicts.size(), "every round judged, the stuck one given up");
        assertEquals(Outcome.HONEST, verdicts.get(verdicts.size() - 1).outcome());
        assertEquals(List.of(), comparison.feeder(0, 1_000), "a report for a round given up on is ignored");
    }
}

package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.meter.Tariff;
import org.hasm.actors.sim.scenario.SimulationSettings;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

/**
 * Explanation on hand-written logs, in the texts the meter's modules write: an honest history is explained
 * change by change, and each way of breaking one link makes exactly that change unexplained.
 */
class ExplanationTest {
    private static final long T0 = SimulationSettings.START;
    private static final long MIN = 60_000;
    private static final Tariff TARIFF = Tariff.timeOfUse(15_000, 35_000, 17, 21);
    private static final String METER = "m00001";

    /** One meter's logs being written: entries get their sequence numbers in order. */
    private static final class History {
        final Map<Part, List<Segment.Entry>> segments = new EnumMap<>(Part.class);
        final List<MeterAccount.Event> account = new ArrayList<>();
        final List<OperatorGateway.Event> gateway = new ArrayList<>();

        History entry(Part segment, long time, String kind, String key, String value) {
            List<Segment.Entry> log = segments.computeIfAbsent(segment, p -> new ArrayList<>());
            log.add(new Segment.Entry(log.size() + 1, time, kind, key, value, new byte[0], new byte[0]));
            return this;
        }

        History central(MeterAccount.Event e) {
            account.add(e);
            return this;
        }

        Explanation explain() {
            return Explanation.of(new MeterLogs(METER, segments, account), new OperatorTrail(gateway));
        }
    }

    /**
     * Prepaid with a 5-euro token, one billed interval, a tariff update, credit run out and cut off, and a
     * remote switch-off an operator asked for and the gateway let through.
     */
    private static History honest() {
        History h = new History();
        h.central(new MeterAccount.TopUpTokenIssued(1, 500, T0))
                .entry(Part.SecurityLog, T0, "top-up", "", "token #1 500 cents ACCEPTED")
                .entry(Part.CreditStore, T0, "store", "credit", "500000");
        h.central(new MeterAccount.CommandIssued(1, CommandKind.SET_PAYMENT_MODE, "true", T0, 1))
                .entry(Part.SecurityLog, T0, "command", "", "SET_PAYMENT_MODE #1 ACCEPTED")
                .entry(Part.CreditStore, T0, "store", "prepaid", "true");
        long start = T0;
        long end = T0 + 15 * MIN;
        long cost = TARIFF.cost(start, 800);
        h.entry(Part.MetrologyLog, end, "reading", "", start + ".." + end + " import=800Wh export=0Wh")
                .central(new MeterAccount.ReadingReceived(1, "electricity", start, end, 800, 0, cost))
                .entry(Part.CreditStore, end, "store", "credit", Long.toString(500_000 - cost));
        // the command's entry carries the tick after the one its effect carries
        h.central(new MeterAccount.CommandIssued(2, CommandKind.SET_TARIFF, TARIFF.encode(), T0 + 20 * MIN, 2))
                .entry(Part.Tariffs, T0 + 20 * MIN, "store", "tariff", TARIFF.encode())
                .entry(Part.SecurityLog, T0 + 30 * MIN, "command", "", "SET_TARIFF #2 ACCEPTED");
        long secondCost = TARIFF.cost(T0 + 30 * MIN, 40_000);
        long empty = 500_000 - cost - secondCost;
        h.entry(Part.MetrologyLog, T0 + 45 * MIN, "reading", "", (T0 + 30 * MIN) + ".." + (T0 + 45 * MIN) + " import=40000Wh export=0Wh")
                .central(new MeterAccount.ReadingReceived(2, "electricity", T0 + 30 * MIN, T0 + 45 * MIN, 40_000, 0, secondCost))
                .entry(Part.CreditStore, T0 + 45 * MIN, "store", "credit", Long.toString(empty))
                .entry(Part.OffSwitchLog, T0 + 45 * MIN, "zero-credit-trigger", "", "supply=ON")
                .entry(Part.OffSwitchLog, T0 + 45 * MIN, "actuation", "switch-state",
                        "OFF (zero credit) | supply=OFF cause=ZERO_CREDIT sequence=0");
        h.gateway.add(new OperatorGateway.AttemptRecorded("r1", "olivia", "request", OperatorGateway.Outcome.EXECUTED, 1, T0 + 60 * MIN,
                "SWITCH_OFF of 1 meters"));
        h.gateway.add(new OperatorGateway.BulkScheduled("r1", CommandKind.SWITCH_OFF, List.of(METER), "olivia", true, T0 + 60 * MIN));
        h.central(new MeterAccount.SwitchCommandIssued(1, false, T0 + 60 * MIN, "r1"))
                .entry(Part.OffSwitchLog, T0 + 75 * MIN, "remote-command", "switch-state",
                        "SWITCH_OFF #1 ACCEPTED lastSequence=1 | supply=OFF cause=REMOTE sequence=1");
        return h;
    }

    private static List<Explanation.Finding> unexplained(Explanation e) {
        return e.findings().stream().filter(f -> f.verdict() == Explanation.Verdict.UNEXPLAINED).toList();
    }

    private static void assertOnlyUnexplained(Explanation e, Predicate<Explanation.Finding> which, String reason) {
        List<Explanation.Finding> u = unexplained(e);
        assertTrue(!u.isEmpty() && u.stream().allMatch(which), u.toString());
        assertTrue(u.stream().allMatch(f -> String.join(" ", f.because()).contains(reason)), u.toString());
    }

    @Test
    void anHonestHistoryIsExplainedChangeByChange() {
        Explanation e = honest().explain();
        assertEquals(List.of(), unexplained(e));
        assertEquals(List.of("credit", "prepaid", "credit", "tariff", "credit", "switch", "switch command"),
                e.findings().stream().map(Explanation.Finding::category).toList(), e.findings().toString());
        Explanation.Finding cutOff = e.findings().stream().filter(f -> f.category().equals("switch")).findFirst().orElseThrow();
        long emptied = e.findings().stream().filter(f -> f.category().equals("credit")).mapToLong(Explanation.Finding::seq).max().orElseThrow();
        assertTrue(cutOff.because().stream().anyMatch(b -> b.startsWith("credit-store #" + emptied + " ")), cutOff.because().toString());
    }

    @Test
    void aSwitchOffTheCentralSystemNeverIssuedIsUnexplained() {
        History h = honest();
        h.account.removeIf(ev -> ev instanceof MeterAccount.SwitchCommandIssued);
        h.entry(Part.OffSwitchLog, T0 + 75 * MIN, "actuation", "switch-state",
                "OFF (remote command #1) | supply=OFF cause=REMOTE sequence=1");
        Explanation e = h.explain();
        assertOnlyUnexplained(e, f -> f.segment().equals("off-switch-log"), "never issued SWITCH_OFF #1");
        assertEquals(2, unexplained(e).size(), "the accepted command and the actuation that stands on it: " + unexplained(e));
    }

    @Test
    void aSwitchOffForARequestTheGatewayHeldIsUnexplained() {
        History h = honest();
        h.gateway.clear();
        h.gateway.add(new OperatorGateway.AttemptRecorded("r1", "mallory", "request", OperatorGateway.Outcome.HELD_FOR_QUORUM, 1,
                T0 + 60 * MIN, "needs a quorum"));
        Explanation e = h.explain();
        assertOnlyUnexplained(e, f -> f.category().equals("switch command"), "never let operator request r1 through");
    }

    @Test
    void aZeroCreditCutOffWithCreditLeftIsUnexplained() {
        History h = honest();
        List<Segment.Entry> credit = h.segments.get(Part.CreditStore);
        credit.remove(credit.size() - 1); // the debit that emptied the credit
        Explanation e = h.explain();
        assertOnlyUnexplained(e, f -> f.what().equals("actuation OFF (zero credit)"), "never shows prepaid credit at or below zero");
    }

    @Test
    void aDebitThatIsNotTheReadingsCostIsUnexplained() {
        History h = honest();
        List<Segment.Entry> credit = h.segments.get(Part.CreditStore);
        Segment.Entry debit = credit.get(2);
        credit.set(2, new Segment.Entry(debit.seq(), debit.time(), debit.kind(), debit.key(),
                Long.toString(Long.parseLong(debit.value()) - 1000), new byte[0], new byte[0]));
        Explanation e = h.explain();
        // the next change (to -12) is then a smaller debit than it was, with no reading of its own either
        assertTrue(unexplained(e).stream().anyMatch(f -> f.seq() == debit.seq() && f.category().equals("credit")), e.findings().toString());
        assertTrue(unexplained(e).stream().allMatch(f -> f.category().equals("credit")), unexplained(e).toString());
    }

    @Test
    void aTariffOtherThanTheSignedOneIsUnexplained() {
        History h = honest();
        List<Segment.Entry> tariffs = h.segments.get(Part.Tariffs);
        Segment.Entry t = tariffs.get(0);
        tariffs.set(0, new Segment.Entry(t.seq(), t.time(), t.kind(), t.key(), Tariff.flat(1).encode(), new byte[0], new byte[0]));
        assertOnlyUnexplained(h.explain(), f -> f.category().equals("tariff"), "differs from the payload of the signed SET_TARIFF #2");
    }

    @Test
    void aSwitchWithoutAKnownCauseIsUnexplained() {
        History h = honest();
        h.entry(Part.OffSwitchLog, T0 + 90 * MIN, "actuation", "switch-state", "OFF (maintenance) | supply=OFF cause=REMOTE sequence=1");
        assertOnlyUnexplained(h.explain(), f -> f.what().equals("actuation OFF (maintenance)"), "no known cause");
    }
}

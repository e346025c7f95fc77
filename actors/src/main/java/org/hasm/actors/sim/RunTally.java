package org.hasm.actors.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.policy.kernel.DropCounter;

/**
 * The run's result in the making: a {@link Neighbourhood.IntervalSample} per interval as the driver finishes
 * it, and at the end what the accounts, the gateway and the concentrator's reports add up to.
 */
final class RunTally {
    private final DropCounter drops;
    private final DriverInbox inbox;
    private final Map<Integer, Households.Screens> shownAt = new HashMap<>();
    private Map<String, Long> dropsSoFar = Map.of();
    private final List<Neighbourhood.IntervalSample> samples = new ArrayList<>();

    RunTally(DropCounter drops, DriverInbox inbox) {
        this.drops = drops;
        this.inbox = inbox;
    }

    /** What the Displays showed as the driver left interval {@code k}. */
    void shown(int k, Households.Screens screens) {
        shownAt.put(k, screens);
    }

    /**
     * Interval {@code k}, ending at {@code end}, is complete: the Displays as the driver left it, what the feeder
     * measured ({@code feederWh} flowed, plus technical losses), the aggregate, and the policy drops since the last sample.
     */
    Neighbourhood.IntervalSample sample(int k, long end, long feederWh) {
        Households.Screens shown = shownAt.remove(k);
        Map<String, Long> now = new TreeMap<>();
        drops.snapshot().forEach((key, n) -> now.merge(String.valueOf(key.rule()), n, Long::sum));
        Map<String, Long> during = new TreeMap<>();
        now.forEach((rule, n) -> {
            long d = n - dropsSoFar.getOrDefault(rule, 0L);
            if (d > 0) {
                during.put(rule, d);
            }
        });
        dropsSoFar = now;
        Neighbourhood.IntervalSample sample = new Neighbourhood.IntervalSample(k, end,
                Math.round(feederWh * (1 + NeighbourhoodPlan.TECHNICAL_LOSSES)), inbox.aggregateWh(k), shown.on(),
                shown.off(), shown.armed(), shown.creditSum(), shown.creditMin(), during);
        samples.add(sample);
        return sample;
    }

    /** What every account holds, summed; compromised meters' breaker openings the central system did not command. */
    private record FromAccounts(long anchors, long bills, long frames, long reports, Map<String, Long> refusals,
                                long switchCommands, long switchesAccepted, long unauthorised,
                                Map<String, Integer> billsPerMeter) {
    }

    /** Each account answers after what it was sent before: the frames relayed so far are in its journal. */
    private static FromAccounts fromAccounts(Households households, Accounts accounts, Compromise compromise)
            throws Exception {
        long anchors = 0;
        long bills = 0;
        long frames = 0;
        long reports = 0;
        Map<String, Long> refusals = new TreeMap<>();
        long switchCommands = 0;
        long switchesAccepted = 0;
        long unauthorised = 0;
        Map<String, Integer> billsPerMeter = new TreeMap<>();
        for (int i = 0; i < households.size(); i++) {
            String id = households.meterId(i);
            MeterAccount.AccountView view = accounts.view(i);
            anchors += view.anchors();
            bills += view.bills().size();
            frames += view.readings() + view.anchors();
            reports += view.switchAcknowledgements().size();
            view.refusals().forEach((cause, n) -> refusals.merge(cause, n, Long::sum));
            billsPerMeter.put(id, view.bills().size());
            switchCommands += view.switchCommands();
            long accepted = view.switchAcknowledgements().values().stream().filter("ACCEPTED"::equals).count();
            switchesAccepted += accepted;
            Integer since = compromise.switchOffsWhenCompromised(i);
            if (since != null) {
                // what the central system commanded is authorised; anything else that opened the breaker is not
                unauthorised += Math.max(0, households.switchOffsOf(i) - since - accepted);
            }
        }
        return new FromAccounts(anchors, bills, frames, reports, refusals, switchCommands, switchesAccepted, unauthorised,
                billsPerMeter);
    }

    /** The run's result, once the driver has finished {@code intervals} intervals in {@code elapsed}. */
    Neighbourhood.Result result(int intervals, Duration elapsed, Households households, Accounts accounts,
                                Compromise compromise, TimelinePlayer player, List<String> notes) throws Exception {
        Map<Object, Long> dropsPerRule = new TreeMap<>();
        drops.snapshot().forEach((k, v) -> dropsPerRule.merge(k.rule(), v, Long::sum));
        FromAccounts a = fromAccounts(households, accounts, compromise);
        OperatorGateway.Status status = accounts.gatewayStatus();
        List<Neighbourhood.BulkAttempt> attempts = status.attempts().stream().map(t -> new Neighbourhood.BulkAttempt(t.at(),
                t.requestId(), t.operatorId(), t.action(), t.outcome().name(), t.meters(), t.reason())).toList();
        // what the gateway held back or refused is an alert at the central system, beside the fraud alerts
        List<Neighbourhood.Alert> alerts = inbox.alerts();
        for (OperatorGateway.AttemptRecorded t : status.attempts()) {
            if (t.outcome() == OperatorGateway.Outcome.HELD_FOR_QUORUM || t.outcome() == OperatorGateway.Outcome.REFUSED) {
                alerts.add(new Neighbourhood.Alert(t.at(), "operator gateway", String.format(Locale.ROOT,
                        "%s's %s of %d meters %s: %s", t.operatorId(), t.action(), t.meters(), t.outcome(), t.reason())));
            }
        }
        List<Neighbourhood.Alert> alertsInOrder;
        synchronized (alerts) {
            alertsInOrder = alerts.stream().sorted(Comparator.comparingLong(Neighbourhood.Alert::time)).toList();
        }
        Neighbourhood.Timeline done = new Neighbourhood.Timeline(attempts, status.released(), a.switchCommands(),
                a.switchesAccepted(), player.tariffChanges(), player.floodCommands(), compromise.compromisedSends(),
                a.unauthorised(), a.billsPerMeter(), List.copyOf(notes));
        return new Neighbourhood.Result(households.size(), intervals, inbox.readings(), a.frames(), a.reports(),
                households.switchOffs(), households.switchOns(), households.topUps(), households.homesReceived().total(),
                a.anchors(), a.bills(), a.refusals(), dropsPerRule, alertsInOrder, elapsed, List.copyOf(samples), done);
    }
}

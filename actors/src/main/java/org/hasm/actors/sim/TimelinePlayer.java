package org.hasm.actors.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.OperatorSigning;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.Tariff;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.policy.Part;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * Plays a scenario's timeline from the driver thread, each event at the start of the interval that contains
 * its time: operators' tariff changes and bulk switch-offs (through the gateway, P16), top-ups, thefts,
 * log floods, compromised modules and a tampering concentrator.
 */
final class TimelinePlayer {
    /** A theft in force: household {@code meter}'s Metrology sees {@code 1 - fraction} from interval {@code from} to before {@code until}. */
    private record Theft(int meter, double fraction, int from, int until) {
    }

    private final SimulationSettings settings;
    private final List<Scenario.TimelineEvent> timeline;
    private final Households households;
    private final Accounts accounts;
    private final Topology topology;
    private final Compromise compromise;
    /** Each operator's signing credential for the gateway. */
    private final Map<String, SigningKeys> operators;
    private final List<String> notes;
    private final List<Theft> thefts = new ArrayList<>();
    /** Meters named by bulk switch commands the gateway accepted, and how many released commands they answered. */
    private final Set<String> switchTargets = new TreeSet<>();
    private long switchesSettled;
    private long floodCommands;
    private long tariffChanges;
    private int nextEvent;

    TimelinePlayer(SimulationSettings settings, List<Scenario.TimelineEvent> timeline, Households households,
                   Accounts accounts, Topology topology, Compromise compromise, Map<String, SigningKeys> operators,
                   List<String> notes) {
        this.settings = settings;
        this.timeline = timeline;
        this.households = households;
        this.accounts = accounts;
        this.topology = topology;
        this.compromise = compromise;
        this.operators = operators;
        this.notes = notes;
    }

    /** Passes over the events before interval {@code first}: they happened before the meters node died. */
    void skipBefore(int first) {
        while (nextEvent < timeline.size() && timeline.get(nextEvent).at().intervalIndex(settings.interval()) < first) {
            nextEvent++;
        }
    }

    /** Plays the events up to interval {@code k}, which starts at {@code now}; whether there were any. */
    boolean playUpTo(int k, long now) throws Exception {
        boolean acted = false;
        while (nextEvent < timeline.size() && timeline.get(nextEvent).at().intervalIndex(settings.interval()) <= k) {
            int index = nextEvent++;
            act(timeline.get(index), index, k, now);
            acted = true;
        }
        return acted;
    }

    /** Runs the {@code index}th timeline event at the start of interval {@code k} (epoch millis {@code now}). */
    private void act(Scenario.TimelineEvent event, int index, int k, long now) throws Exception {
        Action a = event.action();
        if (a instanceof Action.TariffChange c) {
            changeTariff(c.tariff().encode(), now);
        } else if (a instanceof Action.TopUp u) {
            households.topUps(List.of(new Households.Purchase(u.meter(), u.cents())), now);
        } else if (a instanceof Action.Theft t) {
            int until = t.until().map(u -> u.intervalIndex(settings.interval())).orElse(settings.intervals());
            thefts.add(new Theft(t.meter(), t.fraction(), k, until));
        } else if (a instanceof Action.LogFlood f) {
            flood(f.meter(), f.commands(), now);
        } else if (a instanceof Action.OperatorBulkSwitchOff b) {
            bulkSwitchOff(b, index, now);
        } else if (a instanceof Action.CompromisedModule m) {
            compromise.attack(m.meter(), m.part(), households.handle(m.meter()), households.switchOffsOf(m.meter()), now);
        } else if (a instanceof Action.TamperingConcentrator t) {
            topology.concentrator.tell(new DataConcentrator.StartTampering(t.mode() == Action.TamperingConcentrator.Mode.EDIT
                    ? DataConcentrator.Tampering.EDIT : DataConcentrator.Tampering.REPLAY, t.count()));
        }
    }

    /** Every account issues the new tariff to its meter. */
    private void changeTariff(String tariff, long now) throws Exception {
        List<Integer> all = IntStream.range(0, households.size()).boxed().toList();
        List<MeterAccount.Issued> issued = accounts.askEach(all,
                n -> replyTo -> new MeterAccount.IssueCommand(CommandKind.SET_TARIFF, tariff, now, replyTo));
        for (int i = 0; i < issued.size(); i++) {
            if (issued.get(i).refusal() != null) {
                throw new IllegalStateException("the account of " + households.meterId(i) + " refused the tariff change: "
                        + issued.get(i).refusal());
            }
            tariffChanges++;
        }
    }

    /** The fraction of household {@code meter}'s energy its meter does not see in interval {@code k}. */
    double stolenFraction(int meter, int k) {
        double f = 0;
        for (Theft t : thefts) {
            if (t.meter() == meter && k >= t.from() && k < t.until()) {
                f = Math.max(f, t.fraction());
            }
        }
        return f;
    }

    /**
     * Commands on the concentrator's link to the meter's Communications, sealed under keys of another
     * central system: each fails authentication and must be logged without pushing anything else out (P11).
     */
    private void flood(int meter, int commands, long now) {
        ProvisionedMeter forger = new Provisioning("cs-forged",
                SimulationRandomness.seeded(settings.seed(), "log-flood")).provision(households.meterId(meter));
        String tariff = Tariff.flat(1).encode();
        var link = households.handle(meter).from(Part.DataConcentrator, Part.Communications);
        for (int n = 0; n < commands; n++) {
            link.send(new FrameFromCentralSystem(forger.command(CommandKind.SET_TARIFF, tariff, now / 1000)));
        }
        floodCommands += commands;
    }

    /**
     * The operator signs a switch-off of the first {@code count} households and sends it to the gateway; the
     * approvers each sign an approval of exactly that request. The gateway decides (P16).
     */
    private void bulkSwitchOff(Action.OperatorBulkSwitchOff b, int eventIndex, long now) throws Exception {
        List<String> meters = households.meterIds().subList(0, b.count(households.size()));
        String requestId = String.format(Locale.ROOT, "timeline-%d-%s", eventIndex, b.operator());
        OperatorSigning.BulkRequest request = OperatorSigning.request(operators.get(b.operator()), b.operator(), requestId,
                now / 1000, CommandKind.SWITCH_OFF, meters);
        List<OperatorGateway.AttemptOutcome> outcomes = new ArrayList<>();
        outcomes.add(accounts.<OperatorGateway.AttemptOutcome>askGateway(replyTo -> new OperatorGateway.RequestBulk(request, replyTo)));
        for (String approver : b.approvals()) {
            OperatorSigning.Approval approval = OperatorSigning.approval(operators.get(approver), approver, request);
            outcomes.add(accounts.<OperatorGateway.AttemptOutcome>askGateway(replyTo -> new OperatorGateway.Approve(approval, replyTo)));
        }
        if (outcomes.stream().anyMatch(o -> o.outcome() == OperatorGateway.Outcome.EXECUTED
                || o.outcome() == OperatorGateway.Outcome.RATE_LIMITED)) {
            switchTargets.addAll(meters);
        }
    }

    /**
     * Until every switch command the gateway has released so far is answered by its meter (the answer comes
     * after the OffSwitchLog entry and the breaker): a switch-off then takes effect in the interval after its
     * release however fast the driver runs. Each account answers once its meter has answered as many switch
     * commands as the gateway released to it. Waits at most {@link Waiting#STALL}; then the run goes on with a note.
     */
    void awaitSwitchesSettled() throws Exception {
        if (switchTargets.isEmpty()) {
            return;
        }
        OperatorGateway.Status status = accounts.gatewayStatus();
        if (status.released() <= switchesSettled) {
            return;
        }
        List<Integer> meters = new ArrayList<>();
        List<Integer> released = new ArrayList<>();
        status.releasedTo().forEach((meterId, commands) -> {
            meters.add(households.meterIds().indexOf(meterId));
            released.add(commands);
        });
        try {
            accounts.<MeterAccount.AccountView>askEach(meters,
                    n -> replyTo -> new MeterAccount.GetAccountOnceSwitchesAnswered(released.get(n), replyTo));
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TimeoutException)) {
                throw e;
            }
            long answered = 0;
            for (String id : switchTargets) {
                answered += accounts.view(households.meterIds().indexOf(id)).switchAcknowledgements().size();
            }
            notes.add((status.released() - answered) + " released switch commands were not answered by their meters within "
                    + Waiting.STALL.toMinutes() + " minutes; the run went on without them");
        }
        switchesSettled = status.released();
    }

    long floodCommands() {
        return floodCommands;
    }

    long tariffChanges() {
        return tariffChanges;
    }
}

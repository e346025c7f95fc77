package org.hasm.actors.sim;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.concentrator.CentralLine;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.meter.Meter;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Envelope;

/**
 * Where the concentrator and the central system run for the meters of this process, and how the driver
 * knows that nothing is under way between them: {@link InOneProcess} or {@link AcrossNodes}.
 */
abstract class Topology {
    final ActorSystem<Void> system;
    /** Work under way inside the meters: the driver of a reproducible run waits for it to end between steps. */
    final Activity activity;
    final CentralSystem.Handles central;
    final ActorRef<Object> concentrator;
    final ActorRef<FeederMeter.Command> feeder;
    /** The line between the concentrator and the central system. */
    final ActorRef<Object> centralLine;

    Topology(ActorSystem<Void> system, Activity activity, CentralSystem.Handles central, ActorRef<Object> concentrator,
             ActorRef<FeederMeter.Command> feeder, ActorRef<Object> centralLine) {
        this.system = system;
        this.activity = activity;
        this.central = central;
        this.concentrator = concentrator;
        this.feeder = feeder;
        this.centralLine = centralLine;
    }

    /** Where the meters send what is for the concentrator. */
    abstract ActorRef<Envelope> toConcentrator();

    /** Makes meter {@code id} member {@code index} of {@code group} at the concentrator. */
    abstract void attach(String id, String group, int index, Meter.Handle handle);

    /**
     * Until nothing is under way anywhere the meters could hear from: no message or segment write inside a
     * meter, nothing between the meters and the concentrator, nothing the concentrator holds that the central
     * system has not confirmed, nothing on its way back to the meters. It waits for the meters to fall idle
     * ({@link Activity#whenIdle}), for what the topology lets settle behind them, then checks its counts;
     * what it finds still under way makes it wait again.
     */
    final void awaitQuiet() throws Exception {
        long deadline = System.nanoTime() + Waiting.STALL.toNanos();
        while (true) {
            awaitIdle();
            settle();
            if (quiet()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw Waiting.stalled(stillUnderWay());
            }
        }
    }

    /** Waits (by questions to actors) until what the idle meters sent has settled: the concentrator drained. */
    abstract void settle() throws Exception;

    /** Whether every count says nothing is under way; false when the confirmations brought the meters new work. */
    abstract boolean quiet() throws Exception;

    /** Once the line to the central system has passed on everything it received before the question. */
    CentralLine.Synced lineSynced() throws Exception {
        return AskPattern.<Object, CentralLine.Synced>ask(centralLine, CentralLine.Sync::new, Waiting.STALL, system.scheduler())
                .toCompletableFuture().get();
    }

    /** Until nothing is under way inside any meter. */
    void awaitIdle() throws Exception {
        Waiting.until(activity.whenIdle(), this::stillUnderWay);
    }

    private String stillUnderWay() {
        return activity.pending() + " messages or writes still under way in the meters after " + Waiting.STALL.toMinutes()
                + " minutes";
    }

    /** The concentrator's statistics once it holds no frame the central system has not confirmed. */
    DataConcentrator.Statistics concentratorDrained() throws Exception {
        return AskPattern.<Object, DataConcentrator.Statistics>ask(concentrator, DataConcentrator.GetStatisticsWhenDrained::new,
                Waiting.STALL, system.scheduler()).toCompletableFuture().get();
    }

    DataConcentrator.Statistics concentratorStatistics() throws Exception {
        return AskPattern.<Object, DataConcentrator.Statistics>ask(concentrator, DataConcentrator.GetStatistics::new,
                Waiting.STALL, system.scheduler()).toCompletableFuture().get();
    }

    /** Until the concentrator holds no frame: what a dead meters node's meters sent is delivered. */
    void awaitConcentratorDrained() throws Exception {
        concentratorDrained();
    }

    /** Until the central system's ledger holds every fraud alert the concentrator sent: the run's trail is in the store. */
    void awaitAlertsKept() throws Exception {
        ActorRef<FraudAlertLedger.Command> ledger = central.fraudAlerts().get(NeighbourhoodPlan.CONCENTRATOR);
        int sent = (int) concentratorStatistics().alerts();
        AskPattern.<FraudAlertLedger.Command, FraudAlertLedger.Alerts>ask(ledger,
                replyTo -> new FraudAlertLedger.GetAlertsOnceKept(sent, replyTo), Waiting.STALL, system.scheduler())
                .toCompletableFuture().get();
    }
}

package org.hasm.actors.sim;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.hasm.actors.external.HanGateway;
import org.hasm.actors.external.MaintenanceTechnician;
import org.hasm.actors.external.TopUpGateway;
import org.hasm.actors.meter.MeterSignals.ApplianceSwitch;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.CreditFeedback;
import org.hasm.actors.meter.MeterSignals.TariffFeedback;
import org.hasm.actors.meter.MeterSignals.TechnicianResponse;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The households' side of the meters' external interfaces (the paper's Fig. 1), one actor each for the whole
 * neighbourhood so that 10,000 meters cost three actors, not 30,000: the HAN gateway whose wall displays count
 * what the meters push (P7: nothing goes back), the maintenance technician whose screen counts the answers,
 * and the keypads the households type their top-up tokens into. The simulation has no gas meters or PV
 * inverters: no household produces their readings, so those two parties live in the meter's tests only.
 */
final class Homes {
    /** What the homes' wall displays received over the HAN, per kind. */
    record Received(long consumption, long tariffs, long credit, long applianceSwitches, long technicianAnswers) {
        long total() {
            return consumption + tariffs + credit + applianceSwitches;
        }
    }

    private final LongAdder consumption = new LongAdder();
    private final LongAdder tariffs = new LongAdder();
    private final LongAdder credit = new LongAdder();
    private final LongAdder applianceSwitches = new LongAdder();
    private final LongAdder technicianAnswers = new LongAdder();
    /** Completed once the wall displays have shown {@link #shownTarget} pushes ({@link #whenShown}). */
    private volatile CompletableFuture<Void> shownAll;
    private long shownTarget;
    final ActorRef<Envelope> han;
    final ActorRef<Envelope> technician;
    final ActorRef<TopUpGateway.Keypads> keypads;

    Homes(ActorSystem<Void> system, Activity activity) {
        han = system.systemActorOf(HanGateway.create(this::shown), "han-gateway", Props.empty());
        technician = system.systemActorOf(MaintenanceTechnician.create(this::answered), "maintenance-technician",
                Props.empty()).narrow();
        keypads = system.systemActorOf(TopUpGateway.keypads(activity), "top-up-keypads", Props.empty());
    }

    /** A wall display shows what its meter pushed over the HAN. */
    private void shown(PolicyMessage m) {
        if (m instanceof ConsumptionFeedback) {
            consumption.increment();
        } else if (m instanceof TariffFeedback) {
            tariffs.increment();
        } else if (m instanceof CreditFeedback) {
            credit.increment();
        } else if (m instanceof ApplianceSwitch) {
            applianceSwitches.increment();
        }
        if (shownAll != null) {
            completeIfShown();
        }
    }

    /** Completes once the wall displays have shown {@code pushes} in all (at once if they have). */
    synchronized CompletableFuture<Void> whenShown(long pushes) {
        shownTarget = pushes;
        shownAll = new CompletableFuture<>();
        CompletableFuture<Void> waiting = shownAll;
        completeIfShown();
        return waiting;
    }

    private synchronized void completeIfShown() {
        if (shownAll != null && received().total() >= shownTarget) {
            shownAll.complete(null);
            shownAll = null;
        }
    }

    /** The technician's screen shows a meter's answer; the simulation's households have no visits (yet). */
    private void answered(TechnicianResponse r) {
        technicianAnswers.increment();
    }

    Received received() {
        return new Received(consumption.sum(), tariffs.sum(), credit.sum(), applianceSwitches.sum(),
                technicianAnswers.sum());
    }
}

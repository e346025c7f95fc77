package org.hasm.actors.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.Share;
import org.hasm.actors.crypto.SignedFraudAlert;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.link.CentralSystemLink;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * The driver's three actors the concentrator reports to, wherever it runs: its aggregates (an interval is
 * complete when every group's is published or withheld), its fraud alerts (kept by the central system, listed
 * in the report) and its intake notices (backpressure). The driver waits on what they complete.
 */
final class DriverInbox {
    /** How often the driver, waiting for an interval's aggregates, looks whether any came in meanwhile. */
    private static final Duration PROGRESS_CHECK = Duration.ofSeconds(1);

    private final SimulationSettings settings;
    private final int groups;
    private final AtomicIntegerArray groupsDone;
    private final AtomicLongArray aggregateWh;
    private final List<CompletableFuture<Void>> intervalDone;
    private final LongAdder readings = new LongAdder();
    /** Done while the concentrator takes frames; a new, open one while it has paused its intake. */
    private final AtomicReference<CompletableFuture<Void>> intakeOpen =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private final AtomicLong framesRefused = new AtomicLong();
    private final List<Neighbourhood.Alert> alerts = Collections.synchronizedList(new ArrayList<>());
    /** The central system's ledger of the concentrator's alerts, once the central system is found or started. */
    private volatile ActorRef<FraudAlertLedger.Command> ledger;
    final ActorRef<CentralSystemLink.Aggregate> aggregates;
    final ActorRef<CentralSystemLink.FraudAlert> fraudAlerts;
    final ActorRef<DataConcentrator.IntakeNotice> intake;

    /** @param paillierReader the central system's key to the group sums under Paillier, null under zero-sum masking */
    DriverInbox(ActorSystem<Void> system, SimulationSettings settings, int groups,
                AggregationScheme.AggregateReader paillierReader, SigningKeys alertKey) {
        this.settings = settings;
        this.groups = groups;
        this.groupsDone = new AtomicIntegerArray(settings.intervals() + 1);
        this.aggregateWh = new AtomicLongArray(settings.intervals() + 1);
        this.intervalDone = new ArrayList<>(settings.intervals() + 1);
        for (int k = 0; k <= settings.intervals(); k++) {
            intervalDone.add(new CompletableFuture<>());
        }
        this.aggregates = system.systemActorOf(Behaviors.<CentralSystemLink.Aggregate>receiveMessage(a -> {
            aggregate(a, paillierReader);
            return Behaviors.same();
        }), "aggregates", Props.empty());
        this.fraudAlerts = system.systemActorOf(Behaviors.<CentralSystemLink.FraudAlert>receiveMessage(f -> {
            alert(f, alertKey, system);
            return Behaviors.same();
        }), "fraud-alerts", Props.empty());
        this.intake = system.systemActorOf(Behaviors.<DataConcentrator.IntakeNotice>receiveMessage(n -> {
            if (n instanceof DataConcentrator.IntakePaused) {
                intakeOpen.updateAndGet(open -> open.isDone() ? new CompletableFuture<>() : open);
            } else if (n instanceof DataConcentrator.FrameRefused r) {
                framesRefused.accumulateAndGet(r.refused(), Math::max);
            } else if (n instanceof DataConcentrator.IntakeResumed) {
                intakeOpen.get().complete(null);
            }
            return Behaviors.same();
        }), "concentrator-intake", Props.empty());
    }

    /** Where the concentrator's alerts are kept: told before the concentrator can send any. */
    void keepAlertsIn(ActorRef<FraudAlertLedger.Command> ledger) {
        this.ledger = ledger;
    }

    private int indexOf(long round) {
        return (int) (round - SimulationSettings.START / settings.interval().toMillis());
    }

    private void aggregate(CentralSystemLink.Aggregate a, AggregationScheme.AggregateReader paillierReader) {
        if (a instanceof CentralSystemLink.AggregateReading r) {
            counted(indexOf(r.round()), r.totalWh(), r.contributors());
        } else if (a instanceof CentralSystemLink.CombinedShare c && paillierReader != null) {
            // The key holder's step (the central system's): read the sum and give it back for the feeder comparison.
            long total = paillierReader.total(new Share.Encrypted(c.round(), c.ciphertext()));
            c.replyTo().tell(new CentralSystemLink.AggregateRead(c.group(), c.round(), total));
            counted(indexOf(c.round()), total, c.contributors());
        } else if (a instanceof CentralSystemLink.AggregateWithheld w) {
            int index = indexOf(w.round());
            if (index >= 0 && index < groupsDone.length()) {
                groupDone(index);
            }
        }
    }

    private void counted(int index, long wh, long contributors) {
        if (index >= 0 && index < groupsDone.length()) {
            aggregateWh.addAndGet(index, wh);
            readings.add(contributors);
            groupDone(index);
        }
    }

    private void groupDone(int index) {
        if (groupsDone.incrementAndGet(index) >= groups) {
            intervalDone.get(index).complete(null);
        }
    }

    private void alert(CentralSystemLink.FraudAlert f, SigningKeys alertKey, ActorSystem<Void> system) {
        // the central system keeps it in its journal (the forensic trail); the report's list is the run's view
        ledger.tell(new FraudAlertLedger.Receive(f, system.ignoreRef()));
        long intervalMs = settings.interval().toMillis();
        Optional<SignedFraudAlert> alert = SignedFraudAlert.decode(f.signedAlert());
        if (alert.isPresent() && alert.get().verifies(alertKey.verifyingKey())) {
            SignedFraudAlert a = alert.get();
            alerts.add(new Neighbourhood.Alert((a.toRound() + 1) * intervalMs, "fraud", String.format(Locale.ROOT,
                    "feeder %,d Wh vs aggregate %,d Wh over intervals %d-%d", a.feederWh(), a.aggregateWh(),
                    a.fromRound() - SimulationSettings.START / intervalMs, a.toRound() - SimulationSettings.START / intervalMs)));
        } else {
            alerts.add(new Neighbourhood.Alert(0, "forged alert", "an alert from " + f.concentratorId() + " did not verify"));
        }
    }

    /** While the concentrator has paused its intake, no household's next interval starts (backpressure). */
    void awaitIntake() throws Exception {
        Waiting.until(intakeOpen.get(), () -> "the concentrator paused its intake " + Waiting.STALL.toMinutes()
                + " minutes ago and has not resumed");
    }

    /**
     * Until the concentrator has published or withheld every group's aggregate of interval {@code k}. After
     * half of {@link Waiting#STALL} without a new one, a meter's share is missing: the concentrator is told to
     * recover the groups' sums from the others ({@link DataConcentrator.CloseInterval}); after all of it, the
     * run has stalled.
     */
    void awaitInterval(int k, ActorRef<Object> concentrator) throws InterruptedException {
        long quietSince = System.nanoTime();
        int seen = groupsDone.get(k);
        boolean closed = false;
        while (!Waiting.within(intervalDone.get(k), PROGRESS_CHECK)) {
            int now = groupsDone.get(k);
            long quiet = System.nanoTime() - quietSince;
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (!closed && quiet > Waiting.STALL.toNanos() / 2) {
                concentrator.tell(new DataConcentrator.CloseInterval(SimulationSettings.START / settings.interval().toMillis() + k));
                closed = true;
            } else if (quiet > Waiting.STALL.toNanos()) {
                throw Waiting.stalled("interval " + k + " has " + now + " of " + groups + " aggregates after "
                        + Waiting.STALL.toMinutes() + " minutes without progress");
            }
        }
    }

    /** The concentrator's aggregate of interval {@code k}'s readings. */
    long aggregateWh(int k) {
        return aggregateWh.get(k);
    }

    /** Readings the aggregates so far counted. */
    long readings() {
        return readings.sum();
    }

    /** Frames the concentrator refused because its queue was full (each also logged by it). */
    long framesRefused() {
        return framesRefused.get();
    }

    /** The alerts so far; the caller synchronises on it to go through it. */
    List<Neighbourhood.Alert> alerts() {
        return alerts;
    }
}

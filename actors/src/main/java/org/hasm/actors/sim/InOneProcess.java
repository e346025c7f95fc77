package org.hasm.actors.sim;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.concentrator.AggregationGroup;
import org.hasm.actors.concentrator.CentralLine;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.fleet.CentralSystemFactory;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.meter.Meter;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Envelope;
import org.hasm.actors.sim.scenario.SimulationSettings;

/** The meters, the concentrator with its feeder meter and the central system in this one process. */
final class InOneProcess extends Topology {
    /** Takes the meters' envelopes for the concentrator, and {@link Forwarded}. */
    private final ActorRef<Object> toConcentrator;
    /** Envelopes the meters sent that are in the concentrator's mailbox. */
    private final LongAdder envelopesToConcentrator;

    private InOneProcess(ActorSystem<Void> system, Activity activity, CentralSystem.Handles central,
                         ActorRef<Object> concentrator, ActorRef<FeederMeter.Command> feeder, ActorRef<Object> centralLine,
                         ActorRef<Object> toConcentrator, LongAdder envelopesToConcentrator) {
        super(system, activity, central, concentrator, feeder, centralLine);
        this.toConcentrator = toConcentrator;
        this.envelopesToConcentrator = envelopesToConcentrator;
    }

    /**
     * Starts the central system ({@link CentralSystemFactory#neighbourhood}), the concentrator of {@code groups}
     * reporting to {@code inbox}, its line to the central system and its feeder meter.
     *
     * @param operators the operators the scenario's timeline names
     */
    static InOneProcess start(ActorSystem<Void> system, SimulationSettings settings, Collection<String> operators,
                              List<AggregationGroup> groups, SigningKeys alertKey, DriverInbox inbox, Activity activity) {
        // One line between the concentrator and the central system, both ways: an account's frame for its meter
        // and its confirmation of a delivery reach the concentrator in the order the account sent them, so a
        // concentrator with nothing in flight has also passed on every frame for the meters (see awaitQuiet).
        ActorRef<Object> centralLine = system.systemActorOf(CentralLine.create(), "central-line", Props.empty());
        CentralSystem.Handles central = CentralSystemFactory.neighbourhood(system, settings.seed(), settings.meters(),
                settings.interval(), operators, NeighbourhoodPlan.ACKNOWLEDGE_EVERY, centralLine.narrow());
        inbox.keepAlertsIn(central.fraudAlerts().get(NeighbourhoodPlan.CONCENTRATOR));
        DataConcentrator.Settings concentratorSettings = NeighbourhoodPlan.concentratorSettings(NeighbourhoodPlan.CONCENTRATOR,
                settings.meters());
        ActorRef<Object> concentrator = system.systemActorOf(DataConcentrator.create(concentratorSettings, alertKey, groups,
                new DataConcentrator.Links(centralLine.narrow(), inbox.aggregates, inbox.fraudAlerts, inbox.intake)),
                "concentrator", Props.empty());
        centralLine.tell(new CentralLine.Connect(concentrator, central.inbox()));
        ActorRef<FeederMeter.Command> feeder = system.systemActorOf(FeederMeter.create("feeder-1",
                NeighbourhoodPlan.TECHNICAL_LOSSES, concentrator.narrow()), "feeder", Props.empty());
        LongAdder envelopes = new LongAdder();
        ActorRef<Object> toConcentrator = system.systemActorOf(Behaviors.receive(Object.class)
                .onMessage(Envelope.class, e -> {
                    concentrator.tell(e);
                    envelopes.increment(); // after the tell: counted means already in its mailbox
                    return Behaviors.same();
                })
                .onMessage(Forwarded.class, f -> {
                    f.replyTo().tell(Boolean.TRUE);
                    return Behaviors.same();
                })
                .build(), "meters-to-concentrator", Props.empty());
        return new InOneProcess(system, activity, central, concentrator, feeder, centralLine, toConcentrator, envelopes);
    }

    @Override
    ActorRef<Envelope> toConcentrator() {
        return toConcentrator.narrow();
    }

    @Override
    void attach(String id, String group, int index, Meter.Handle handle) {
        concentrator.tell(new DataConcentrator.AttachMeter(id, group, index, handle.from(Part.DataConcentrator, Part.Communications)));
    }

    /** Answered once every envelope that reached the meters' way to the concentrator before it is in the concentrator's mailbox. */
    private record Forwarded(ActorRef<Boolean> replyTo) {
    }

    /**
     * The meters are idle, every envelope they sent is in the concentrator's mailbox and handled (it answers a
     * question only after what was queued before it), nothing waits on the line to the central system, and the
     * concentrator holds no frame the central system has not confirmed. Confirmations bring the accounts'
     * frames for meters with them, so the meters may be busy again: then it waits again.
     */
    @Override
    void settle() throws Exception {
        AskPattern.<Object, Boolean>ask(toConcentrator, Forwarded::new, Waiting.STALL, system.scheduler())
                .toCompletableFuture().get();
        lineSynced();
        concentratorDrained();
    }

    @Override
    boolean quiet() {
        return activity.idle() && envelopesToConcentrator.sum() == activity.sentTo(Part.DataConcentrator);
    }
}

package org.hasm.actors.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.concentrator.CentralLine;
import org.hasm.actors.link.CentralSystemLink;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.concentrator.FeederMeter;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.central.CentralLocator;

/**
 * On a node of role {@code concentrator}: makes the neighbourhood's {@link DataConcentrator} and
 * {@link FeederMeter} when a simulation's driver (on the meters node) asks, with the aggregation groups and
 * alert key derived from the seed ({@link NeighbourhoodPlan}), and its {@link CentralLine} to the central
 * system found in the cluster. The line registers as the accounts' downlink ({@link CentralLocator#DOWNLINK}).
 * One neighbourhood per node: a request for the same neighbourhood (seed, meters, aggregation) again comes
 * from a driver whose meters node restarted, and gets the running concentrator, which now reports to it;
 * a request for another neighbourhood is refused.
 */
public final class ConcentratorHost {
    private ConcentratorHost() {
    }

    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "hasm-concentrator-host");

    public interface Command {
    }

    /**
     * Make the concentrator of a neighbourhood of {@code meters} meters from {@code seed}; its aggregates,
     * alerts and intake notices go to the driver's actors named here.
     */
    public record StartConcentrator(long seed, int meters, boolean paillier,
                                    ActorRef<CentralSystemLink.Aggregate> aggregates,
                                    ActorRef<CentralSystemLink.FraudAlert> alerts,
                                    ActorRef<DataConcentrator.IntakeNotice> intake, ActorRef<Started> replyTo)
            implements Command, WireMessage {
        public StartConcentrator {
            Objects.requireNonNull(aggregates, "aggregates");
            Objects.requireNonNull(alerts, "alerts");
            Objects.requireNonNull(intake, "intake");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** The concentrator is up (refusal null), or why not. */
    public record Started(ActorRef<Object> concentrator, ActorRef<FeederMeter.Command> feeder, ActorRef<Object> line,
                          String refusal) implements WireMessage {
    }

    private record CentralFound(StartConcentrator request, CentralSystem.Handles central, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** @param locating how long to wait for the central system to be listed in the cluster */
    public static Behavior<Command> create(Duration locating) {
        return Behaviors.setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.register(KEY, context.getSelf()));
            return idle(context, locating);
        });
    }

    private static Behavior<Command> idle(ActorContext<Command> context, Duration locating) {
        return Behaviors.receive(Command.class)
                .onMessage(StartConcentrator.class, s -> {
                    context.pipeToSelf(CentralLocator.locate(context.getSystem(), List.of(NeighbourhoodPlan.CONCENTRATOR), locating),
                            (central, failure) -> new CentralFound(s, central, failure));
                    return starting(context, locating);
                })
                .build();
    }

    private static Behavior<Command> starting(ActorContext<Command> context, Duration locating) {
        return Behaviors.receive(Command.class)
                .onMessage(StartConcentrator.class, s -> refuse(s, "this node is starting a concentrator already"))
                .onMessage(CentralFound.class, f -> {
                    StartConcentrator s = f.request();
                    if (f.failure() != null) {
                        String why = f.failure().getCause() != null ? f.failure().getCause().getMessage() : f.failure().getMessage();
                        s.replyTo().tell(new Started(null, null, null, why));
                        return idle(context, locating);
                    }
                    ActorRef<Object> line = context.spawn(CentralLine.create(), "central-line");
                    NeighbourhoodPlan.Aggregation aggregation = NeighbourhoodPlan.aggregation(s.seed(), s.meters(), s.paillier());
                    ActorRef<Object> concentrator = context.spawn(DataConcentrator.create(
                            NeighbourhoodPlan.concentratorSettings(NeighbourhoodPlan.CONCENTRATOR, s.meters()),
                            NeighbourhoodPlan.concentratorAlertKey(s.seed()), aggregation.groups(),
                            new DataConcentrator.Links(line.narrow(), s.aggregates(), s.alerts(), s.intake())), "concentrator");
                    line.tell(new CentralLine.Connect(concentrator, f.central().inbox()));
                    context.getSystem().receptionist().tell(Receptionist.register(CentralLocator.DOWNLINK, line.narrow()));
                    ActorRef<FeederMeter.Command> feeder = context.spawn(FeederMeter.create("feeder-1",
                            NeighbourhoodPlan.TECHNICAL_LOSSES, concentrator.narrow()), "feeder");
                    context.getLog().info("concentrator {} up for {} meters", NeighbourhoodPlan.CONCENTRATOR, s.meters());
                    Started started = new Started(concentrator, feeder, line, null);
                    s.replyTo().tell(started);
                    return running(s, started);
                })
                .build();
    }

    private static Behavior<Command> running(StartConcentrator first, Started started) {
        return Behaviors.receive(Command.class)
                .onMessage(StartConcentrator.class, s -> {
                    if (s.seed() != first.seed() || s.meters() != first.meters() || s.paillier() != first.paillier()) {
                        return refuse(s, "this node runs the concentrator of another neighbourhood (seed " + first.seed()
                                + ", " + first.meters() + " meters): start a new concentrator node for this one");
                    }
                    started.concentrator().tell(new DataConcentrator.NewDriver(s.aggregates(), s.alerts(), s.intake()));
                    s.replyTo().tell(started);
                    return Behaviors.same();
                })
                .build();
    }

    private static Behavior<Command> refuse(StartConcentrator s, String why) {
        s.replyTo().tell(new Started(null, null, null, why));
        return Behaviors.same();
    }
}

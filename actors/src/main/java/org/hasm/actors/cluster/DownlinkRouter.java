package org.hasm.actors.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.central.CentralLocator;

/**
 * The downlink a central node gives its {@code MeterAccount}s: it passes each frame for a meter to the
 * concentrators listed under {@link CentralLocator#DOWNLINK}, wherever in the cluster they are.
 *
 * <p>Until a concentrator is listed (its registration reaches this node a little after it joins) frames wait
 * here, at most {@link #WAITING} of them; beyond that the oldest is dropped and logged. A lost acknowledgement
 * costs little, the next one covers the earlier readings, and the meter keeps them meanwhile. With several
 * concentrators listed every one gets the frame and one that does not serve the meter drops it (one
 * concentrator per cluster today; routing by meter is left to do, docs/cluster.md).
 */
public final class DownlinkRouter {
    static final int WAITING = 10_000;

    /** Every central node's router, for a simulation's driver that must know when no frame is on its way. */
    public static final ServiceKey<GetPassedOn> ROUTERS = ServiceKey.create(GetPassedOn.class, "hasm-downlink-router");

    /** Answered with the frames this router has passed on to a listed concentrator so far. */
    public record GetPassedOn(ActorRef<PassedOn> replyTo) implements WireMessage {
    }

    public record PassedOn(long frames) implements WireMessage {
    }

    private DownlinkRouter() {
    }

    /** Takes {@link FrameForMeter} and {@link GetPassedOn}. */
    public static Behavior<Object> create() {
        return Behaviors.<Object>setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.subscribe(CentralLocator.DOWNLINK, context.getSelf().narrow()));
            // listed through a child: the receptionist watches what subscribes and what registers, and one actor
            // doing both made it fail ("termination message was not overwritten") and stop
            ActorRef<Object> self = context.getSelf();
            ActorRef<GetPassedOn> listed = context.spawn(Behaviors.receive(GetPassedOn.class).onMessage(GetPassedOn.class, g -> {
                self.tell(g);
                return Behaviors.same();
            }).build(), "passed-on");
            context.getSystem().receptionist().tell(Receptionist.register(ROUTERS, listed));
            Deque<FrameForMeter> waiting = new ArrayDeque<>();
            long[] dropped = {0};
            long[] passedOn = {0};
            @SuppressWarnings("unchecked")
            Set<ActorRef<FrameForMeter>>[] downlinks = new Set[] {Set.of()};
            return Behaviors.receive(Object.class)
                    .onMessage(Receptionist.Listing.class, listing -> {
                        downlinks[0] = listing.getServiceInstances(CentralLocator.DOWNLINK);
                        if (!downlinks[0].isEmpty()) {
                            waiting.forEach(f -> downlinks[0].forEach(d -> d.tell(f)));
                            passedOn[0] += waiting.size();
                            waiting.clear();
                        }
                        return Behaviors.same();
                    })
                    .onMessage(FrameForMeter.class, f -> {
                        if (!downlinks[0].isEmpty()) {
                            downlinks[0].forEach(d -> d.tell(f));
                            passedOn[0]++;
                            return Behaviors.same();
                        }
                        if (waiting.size() == WAITING) {
                            FrameForMeter lost = waiting.removeFirst();
                            if (Long.bitCount(++dropped[0]) == 1) { // 1st, 2nd, 4th, ...: said without flooding the log
                                context.getLog().warn("no concentrator listed: frame for meter {} dropped ({} so far)",
                                        lost.meterId(), dropped[0]);
                            }
                        }
                        waiting.addLast(f);
                        return Behaviors.same();
                    })
                    .onMessage(GetPassedOn.class, g -> {
                        g.replyTo().tell(new PassedOn(passedOn[0]));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}

package org.hasm.actors.cluster;

import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.hasm.actors.central.MeterDownlink.FrameToMeter;

/**
 * The downlink a central node gives its {@code MeterAccount}s: it passes each frame for a meter to the
 * concentrators listed under {@link CentralLocator#DOWNLINK}, wherever in the cluster they are.
 *
 * <p>With no concentrator listed a frame is dropped and logged: an acknowledgement only lets the meter
 * release readings, and the next one covers the earlier ones, so the meter keeps them meanwhile. With several
 * listed every one gets the frame and a concentrator that does not serve the meter drops it (one concentrator
 * per cluster today; routing by meter is left to do, docs/cluster.md).
 */
public final class DownlinkRouter {
    private DownlinkRouter() {
    }

    public static Behavior<FrameToMeter> create() {
        return Behaviors.<Object>setup(context -> {
            context.getSystem().receptionist().tell(Receptionist.subscribe(CentralLocator.DOWNLINK, context.getSelf().narrow()));
            return listed(Set.of(), 0);
        }).narrow();
    }

    private static Behavior<Object> listed(Set<ActorRef<FrameToMeter>> downlinks, long dropped) {
        return Behaviors.setup(context -> Behaviors.receive(Object.class)
                .onMessage(Receptionist.Listing.class, listing -> {
                    Set<ActorRef<FrameToMeter>> now = listing.getServiceInstances(CentralLocator.DOWNLINK);
                    context.getLog().info("concentrator downlinks listed: {}", now.size());
                    return listed(now, dropped);
                })
                .onMessage(FrameToMeter.class, f -> {
                    if (downlinks.isEmpty()) {
                        if (Long.bitCount(dropped + 1) == 1) { // 1st, 2nd, 4th, ...: the log says it without flooding
                            context.getLog().warn("no concentrator listed: frame for meter {} dropped ({} so far)",
                                    f.meterId(), dropped + 1);
                        }
                        return listed(downlinks, dropped + 1);
                    }
                    downlinks.forEach(d -> d.tell(f));
                    return Behaviors.same();
                })
                .build());
    }
}

package org.hasm.actors.cluster;

import java.time.Duration;
import java.util.Collection;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.fleet.CentralSystemFactory;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;

/**
 * The central system of a scenario on a node of role {@code central} ({@code hasm node --role central}):
 * the accounts of the scenario's fleet ({@link SeededFleet}: keys from the seed), the operators' and the
 * concentrator's public keys derived from the same seed as the simulation derives them, and a
 * {@link DownlinkRouter} towards whichever concentrator registers in the cluster.
 */
public final class CentralNode {
    private CentralNode() {
    }

    /**
     * The scenario's neighbourhood as {@link CentralSystemFactory#neighbourhood} plans it.
     *
     * @param operators        the operators the scenario's timeline names, beside the utility's own
     * @param acknowledgeEvery readings an account acknowledges at once (the simulation uses 24)
     */
    public static CentralSystem.Handles start(ActorSystem<?> system, long seed, int meters, Duration interval,
                                              Collection<String> operators, int acknowledgeEvery) {
        ActorRef<FrameForMeter> downlink = system.systemActorOf(DownlinkRouter.create(), "downlink-router", Props.empty()).narrow();
        return CentralSystemFactory.neighbourhood(system, seed, meters, interval, operators, acknowledgeEvery, downlink);
    }
}

package org.hasm.actors.cluster;

import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.SeededFleet;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.scenario.Scenario;

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
     * @param acknowledgeEvery readings an account acknowledges at once (the simulation uses 24)
     */
    public static CentralSystem.Handles start(ActorSystem<?> system, Scenario scenario, int acknowledgeEvery) {
        Map<String, VerifyingKey> operatorKeys = new TreeMap<>();
        Neighbourhood.operatorKeys(scenario.seed(), scenario.timeline())
                .forEach((operator, key) -> operatorKeys.put(operator, key.verifyingKey()));
        VerifyingKey alertKey = Neighbourhood.concentratorAlertKey(scenario.seed()).verifyingKey();
        ActorRef<FrameForMeter> downlink = system.systemActorOf(DownlinkRouter.create(), "downlink-router", Props.empty()).narrow();
        return CentralSystem.start(system, new SeededFleet(scenario.seed(), scenario.meters()),
                new CentralSystem.Settings(Neighbourhood.TARIFF, OperatorGateway.Settings.defaults(operatorKeys, scenario.seed()), acknowledgeEvery)
                        .withConcentrator(new FraudAlertLedger.Settings(Neighbourhood.CONCENTRATOR, alertKey, scenario.interval())),
                downlink);
    }
}

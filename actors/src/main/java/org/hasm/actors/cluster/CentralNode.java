package org.hasm.actors.cluster;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.central.MeterDownlink.FrameToMeter;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.SeededFleet;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.actors.meter.Tariff;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;

/**
 * The central system of a scenario on a node of role {@code central} ({@code hasm node --role central}):
 * the accounts of the scenario's fleet ({@link SeededFleet}: keys from the seed), the operators' and the
 * concentrator's public keys derived from the same seed as the simulation derives them, and a
 * {@link DownlinkRouter} towards whichever concentrator registers in the cluster.
 */
public final class CentralNode {
    /** The utility's operators, as the simulation has them; a scenario's timeline may name more. */
    private static final Set<String> OPERATORS = Set.of("alice", "bob", "carol");
    /** The simulation's time-of-use tariff (15 and 35 c/kWh, peak 17-21 h). */
    private static final Tariff TARIFF = Tariff.timeOfUse(15_000, 35_000, 17, 21);

    private CentralNode() {
    }

    /**
     * @param acknowledgeEvery readings an account acknowledges at once (the simulation uses 24)
     */
    public static CentralSystem.Handles start(ActorSystem<?> system, Scenario scenario, int acknowledgeEvery) {
        Set<String> names = new TreeSet<>(OPERATORS);
        for (Scenario.TimelineEvent e : scenario.timeline()) {
            if (e.action() instanceof Action.OperatorBulkSwitchOff b) {
                names.add(b.operator());
                names.addAll(b.approvals());
            }
        }
        Map<String, VerifyingKey> operatorKeys = new TreeMap<>();
        for (String operator : names) {
            operatorKeys.put(operator, SigningKeys.generate(
                    SimulationRandomness.seeded(scenario.seed(), "operator-" + operator)).verifyingKey());
        }
        VerifyingKey alertKey = SigningKeys.generate(SimulationRandomness.seeded(scenario.seed(), "concentrator")).verifyingKey();
        ActorRef<FrameToMeter> downlink = system.systemActorOf(DownlinkRouter.create(), "downlink-router", Props.empty());
        return CentralSystem.start(system, new SeededFleet(scenario.seed(), scenario.meters()),
                new CentralSystem.Settings(TARIFF, OperatorGateway.Settings.defaults(operatorKeys, scenario.seed()), acknowledgeEvery)
                        .withConcentrator(new FraudAlertLedger.Settings(Neighbourhood.CONCENTRATOR, alertKey, scenario.interval())),
                downlink);
    }
}

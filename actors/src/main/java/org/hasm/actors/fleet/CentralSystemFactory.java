package org.hasm.actors.fleet;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.FraudAlertLedger;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;

/**
 * Builds a central system the one way the simulation, a central node ({@code hasm node --role central})
 * and the load test all build it: the utility's {@link NeighbourhoodPlan#TARIFF}, an operator gateway that
 * knows the operators' public keys, and a fraud alert ledger for each concentrator that reports to it.
 * The actor system must already run as a central node ({@link CentralSystem#start}).
 */
public final class CentralSystemFactory {
    private CentralSystemFactory() {
    }

    /**
     * The central system of the neighbourhood planned from {@code seed}: the accounts of its {@link SeededFleet},
     * the utility's operators and those {@code operators} a scenario names, and the ledger of its one
     * concentrator, all keys derived from the seed as the meters' and the concentrator's side derive them.
     *
     * @param downlink where the accounts' frames for the meters go (the concentrator's line, or a router to it)
     */
    public static CentralSystem.Handles neighbourhood(ActorSystem<?> system, long seed, int meters, Duration interval,
                                                      Collection<String> operators, int acknowledgeEvery,
                                                      ActorRef<FrameForMeter> downlink) {
        VerifyingKey alertKey = NeighbourhoodPlan.concentratorAlertKey(seed).verifyingKey();
        return start(system, new SeededFleet(seed, meters), verifyingKeys(NeighbourhoodPlan.operatorKeys(seed, operators)),
                seed, acknowledgeEvery, List.of(new FraudAlertLedger.Settings(NeighbourhoodPlan.CONCENTRATOR, alertKey, interval)),
                downlink);
    }

    /**
     * A central system for {@code fleet}'s meters whose gateway (seeded with {@code gatewaySeed}) checks the
     * {@code operators}' signatures, with a ledger for each of {@code concentrators} (none: no fraud alerts kept).
     */
    public static CentralSystem.Handles start(ActorSystem<?> system, Function<String, ProvisionedMeter> fleet,
                                              Map<String, VerifyingKey> operators, long gatewaySeed, int acknowledgeEvery,
                                              List<FraudAlertLedger.Settings> concentrators,
                                              ActorRef<FrameForMeter> downlink) {
        CentralSystem.Settings settings = new CentralSystem.Settings(NeighbourhoodPlan.TARIFF,
                OperatorGateway.Settings.defaults(operators, gatewaySeed), acknowledgeEvery, concentrators);
        return CentralSystem.start(system, fleet, settings, downlink);
    }

    /** The public halves of {@code operators}' signing keys, by operator. */
    public static Map<String, VerifyingKey> verifyingKeys(Map<String, SigningKeys> operators) {
        Map<String, VerifyingKey> keys = new TreeMap<>();
        operators.forEach((operator, key) -> keys.put(operator, key.verifyingKey()));
        return keys;
    }
}

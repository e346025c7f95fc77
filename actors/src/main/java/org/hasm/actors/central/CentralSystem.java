package org.hasm.actors.central;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.hasm.actors.central.MeterDownlink.FrameToMeter;
import org.hasm.actors.concentrator.CentralSystemLink.DeliverFrame;
import org.hasm.actors.meter.Tariff;

/**
 * Starts the central system in one actor system (DESIGN 8): the sharded {@link MeterAccount}s, the inbox the
 * concentrator delivers frames to, the {@link OperatorGateway} and a {@link FraudAlertLedger} per concentrator.
 * The system must run with
 * {@link OneNodeCluster#config()} (or a cluster configuration of its own); this joins the node to itself.
 */
public final class CentralSystem {
    private CentralSystem() {
    }

    /**
     * @param tariff           the time-of-use tariff in force until a SET_TARIFF command replaces it
     * @param acknowledgeEvery an account acknowledges a meter's readings after this many (each acknowledgement
     *                         costs the meter a MetrologyLog entry; the log may release only what was acknowledged)
     */
    public record Settings(Tariff tariff, OperatorGateway.Settings gateway, int acknowledgeEvery,
                           List<FraudAlertLedger.Settings> concentrators) {
        public Settings {
            if (acknowledgeEvery < 1) {
                throw new IllegalArgumentException("readings are acknowledged after at least 1, not " + acknowledgeEvery);
            }
            concentrators = List.copyOf(concentrators);
        }

        /** No concentrator's fraud alerts kept. */
        public Settings(Tariff tariff, OperatorGateway.Settings gateway, int acknowledgeEvery) {
            this(tariff, gateway, acknowledgeEvery, List.of());
        }

        /** The same, with a {@link FraudAlertLedger} for this concentrator's alerts. */
        public Settings withConcentrator(FraudAlertLedger.Settings concentrator) {
            List<FraudAlertLedger.Settings> all = new java.util.ArrayList<>(concentrators);
            all.add(concentrator);
            return new Settings(tariff, gateway, acknowledgeEvery, all);
        }

        /** Every reading acknowledged at once. */
        public Settings(Tariff tariff, OperatorGateway.Settings gateway) {
            this(tariff, gateway, 1);
        }
    }

    /**
     * @param inbox    give it to the concentrator: {@code CentralSystemLink.DeliverFrame} in, {@code FrameDelivered} back
     * @param accounts the accounts by meter id, e.g. {@code new ShardingEnvelope<>(id, new MeterAccount.GetAccount(probe))}
     * @param gateway  operators' bulk requests and approvals, and the simulation's {@link OperatorGateway.Tick}s
     * @param fraudAlerts each concentrator's {@link FraudAlertLedger} by concentrator id: its link hands it the alerts
     */
    public record Handles(ActorRef<DeliverFrame> inbox, ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts,
                          ActorRef<OperatorGateway.Command> gateway, Map<String, ActorRef<FraudAlertLedger.Command>> fraudAlerts) {
    }

    /**
     * @param registry each meter's keys by meter id, null for a meter never provisioned; called on actor threads,
     *                 so it must be thread-safe, and the {@link ProvisionedMeter} it returns then belongs to the
     *                 account alone (it is not thread-safe): issue commands and top-up tokens through the account
     * @param downlink the concentrator's downlink: acknowledgements, commands and switch commands for meters
     */
    public static Handles start(ActorSystem<?> system, Function<String, ProvisionedMeter> registry, Settings settings,
                                ActorRef<FrameToMeter> downlink) {
        OneNodeCluster.joinSelf(system);
        ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts = ClusterSharding.get(system).init(Entity.of(
                MeterAccount.TYPE_KEY, entity -> MeterAccount.create(entity, registry, settings.tariff(),
                        settings.acknowledgeEvery(), downlink)));
        ActorRef<DeliverFrame> inbox = system.systemActorOf(CentralSystemInbox.create(accounts), "central-inbox", Props.empty());
        ActorRef<OperatorGateway.Command> gateway = system.systemActorOf(OperatorGateway.create(settings.gateway(), accounts),
                "operator-gateway", Props.empty());
        Map<String, ActorRef<FraudAlertLedger.Command>> fraudAlerts = new TreeMap<>();
        for (FraudAlertLedger.Settings c : settings.concentrators()) {
            fraudAlerts.put(c.concentratorId(), system.systemActorOf(FraudAlertLedger.create(c),
                    "fraud-alert-ledger-" + URLEncoder.encode(c.concentratorId(), StandardCharsets.UTF_8), Props.empty()));
        }
        return new Handles(inbox, accounts, gateway, Map.copyOf(fraudAlerts));
    }
}

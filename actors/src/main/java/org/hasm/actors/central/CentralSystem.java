package org.hasm.actors.central;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.meter.Tariff;

/**
 * Starts the central system on a node of role {@code central} (DESIGN 8, 10): the sharded {@link MeterAccount}s
 * (hosted on central nodes only), the inbox the concentrator delivers frames to, the {@link OperatorGateway}
 * and a {@link FraudAlertLedger} per concentrator. The gateway and the ledgers are cluster singletons among the
 * central nodes, so two central nodes never write the same journal. The inbox, the gateway and the ledgers are
 * registered with the Receptionist under {@link CentralLocator}'s keys, which is how other nodes find them.
 *
 * <p>The system must run with {@link ClusterSettings#config()} (every role; this joins the node to itself) or
 * {@link ClusterSettings#node} with the role {@code central} (it joins its seeds, or itself when it has none).
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
                                ActorRef<FrameForMeter> downlink) {
        Cluster cluster = Cluster.get(system);
        if (!cluster.selfMember().hasRole(ClusterSettings.CENTRAL)) {
            throw new IllegalStateException("the central system runs on nodes of role " + ClusterSettings.CENTRAL
                    + ", this one has " + cluster.selfMember().getRoles());
        }
        if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            ClusterSettings.joinSelf(system);
        }
        ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts = ClusterSharding.get(system).init(Entity.of(
                MeterAccount.TYPE_KEY, entity -> MeterAccount.create(entity, registry, settings.tariff(),
                        settings.acknowledgeEvery(), downlink)).withRole(ClusterSettings.CENTRAL));
        ActorRef<DeliverFrame> inbox = system.systemActorOf(CentralSystemInbox.create(accounts), "central-inbox", Props.empty());
        ActorRef<OperatorGateway.Command> gateway = singleton(system, OperatorGateway.create(settings.gateway(), accounts),
                "operator-gateway");
        Map<String, ActorRef<FraudAlertLedger.Command>> fraudAlerts = new TreeMap<>();
        for (FraudAlertLedger.Settings c : settings.concentrators()) {
            ActorRef<FraudAlertLedger.Command> ledger = singleton(system, FraudAlertLedger.create(c),
                    "fraud-alert-ledger-" + URLEncoder.encode(c.concentratorId(), StandardCharsets.UTF_8));
            fraudAlerts.put(c.concentratorId(), ledger);
            system.receptionist().tell(Receptionist.register(CentralLocator.fraudAlertLedger(c.concentratorId()), ledger));
        }
        system.receptionist().tell(Receptionist.register(CentralLocator.INBOX, inbox));
        system.receptionist().tell(Receptionist.register(CentralLocator.GATEWAY, gateway));
        return new Handles(inbox, accounts, gateway, Map.copyOf(fraudAlerts));
    }

    /**
     * A proxy to the one instance among the central nodes: each keeps a journal that one writer at a time
     * may append to. The proxy buffers while the singleton starts or moves.
     */
    private static <T> ActorRef<T> singleton(ActorSystem<?> system, Behavior<T> behavior, String name) {
        return ClusterSingleton.get(system).init(SingletonActor.of(behavior, name)
                .withSettings(ClusterSingletonSettings.create(system).withRole(ClusterSettings.CENTRAL)));
    }

    /**
     * The accounts as seen from a node without the role {@code central}: a sharding proxy that routes each
     * envelope to the central node hosting that meter's account. {@link CentralLocator} uses it.
     */
    public static ActorRef<ShardingEnvelope<MeterAccount.Command>> accountsProxy(ActorSystem<?> system) {
        return ClusterSharding.get(system).init(Entity.of(MeterAccount.TYPE_KEY, entity -> {
            throw new IllegalStateException("MeterAccounts live on nodes of role " + ClusterSettings.CENTRAL);
        }).withRole(ClusterSettings.CENTRAL));
    }
}

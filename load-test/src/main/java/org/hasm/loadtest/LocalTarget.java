package org.hasm.loadtest;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.central.OneNodeCluster;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.concentrator.CentralSystemLink.DeliverFrame;
import org.hasm.actors.concentrator.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.meter.Tariff;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;

/**
 * The central system started in this process, as {@code hasm simulate} starts it: sharded accounts on a
 * one-node cluster, journals in the given store. The load generator stands in for the concentrator.
 */
public final class LocalTarget implements CentralTarget {
    /** As in the neighbourhood: an account acknowledges a meter's readings every 24 (a sealed frame and an event). */
    static final int ACKNOWLEDGE_EVERY = 24;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);

    private final ActorSystem<Void> system;
    private final JournalStore store;
    private final Map<String, ProvisionedMeter> registry = new ConcurrentHashMap<>();
    private final CentralSystem.Handles central;
    private final ActorRef<FrameDelivered> acknowledgements;
    private volatile LongConsumer listener = id -> { };

    private LocalTarget(JournalStore store) {
        this.store = store;
        this.system = ActorSystem.create(Behaviors.empty(), "hasm-load-test",
                store.applyTo(OneNodeCluster.config().withFallback(ConfigFactory.load())));
        SigningKeys a = SigningKeys.generate(SimulationRandomness.seeded(1, "load-test operator a"));
        SigningKeys b = SigningKeys.generate(SimulationRandomness.seeded(1, "load-test operator b"));
        // the downlink (acknowledgement frames for the meters) is sealed and persisted, then dropped: no meter listens
        this.central = CentralSystem.start(system, registry::get, new CentralSystem.Settings(
                Tariff.timeOfUse(15_000, 35_000, 17, 21),
                OperatorGateway.Settings.defaults(Map.of("a", a.verifyingKey(), "b", b.verifyingKey()), 1),
                ACKNOWLEDGE_EVERY), system.ignoreRef());
        this.acknowledgements = system.systemActorOf(AcknowledgementRelay.create(id -> listener.accept(id)),
                "load-test-acknowledgements", Props.empty());
    }

    /** Creates the store's schema and starts the central system on it. */
    public static LocalTarget start(JournalStore store) {
        SchemaCreator.create(store);
        return new LocalTarget(store);
    }

    @Override
    public String describe() {
        return "central system in this process, journals in " + store.describe();
    }

    @Override
    public void provision(ProvisionedMeter meter) {
        registry.put(meter.meterId(), meter);
    }

    @Override
    public void onAcknowledgement(LongConsumer acknowledged) {
        this.listener = acknowledged;
    }

    @Override
    public void deliver(long deliveryId, String meterId, byte[] frame) {
        central.inbox().tell(new DeliverFrame(deliveryId, meterId, frame, acknowledgements));
    }

    @Override
    public Tally tally(Collection<String> meterIds) {
        List<CompletableFuture<MeterAccount.AccountView>> views = new ArrayList<>();
        for (String id : meterIds) {
            views.add(AskPattern.<ShardingEnvelope<MeterAccount.Command>, MeterAccount.AccountView>ask(central.accounts(),
                    replyTo -> new ShardingEnvelope<>(id, new MeterAccount.GetAccount(replyTo)), ASK_TIMEOUT,
                    system.scheduler()).toCompletableFuture());
        }
        long readings = 0;
        Map<String, Long> refusals = new TreeMap<>();
        for (CompletableFuture<MeterAccount.AccountView> f : views) {
            MeterAccount.AccountView v = f.join();
            readings += v.readings();
            v.refusals().forEach((cause, n) -> refusals.merge(cause, n, Long::sum));
        }
        return new Tally(readings, refusals);
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}

package org.hasm.loadtest;

import com.typesafe.config.ConfigFactory;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;

/**
 * {@link FloorAccount}s started as {@link LocalTarget} starts the central system: a one-node cluster, the same
 * store, frames handed to the shard region. Its tally counts confirmations, as there is nothing else to count.
 */
final class FloorTarget implements CentralTarget {
    private final JournalStore store;
    private final ActorSystem<Void> system;
    private final ActorRef<ShardingEnvelope<FloorAccount.Deliver>> accounts;
    private final ActorRef<FrameDelivered> acknowledgements;
    private final AtomicLong confirmed = new AtomicLong();
    private volatile LongConsumer listener = id -> { };

    private FloorTarget(JournalStore store, ActorSystem<Void> system) {
        this.store = store;
        this.system = system;
        ClusterSettings.joinSelf(system);
        this.accounts = ClusterSharding.get(system).init(Entity.of(FloorAccount.TYPE_KEY,
                entity -> new FloorAccount(entity.getEntityId())).withRole(ClusterSettings.CENTRAL));
        this.acknowledgements = system.systemActorOf(AcknowledgementRelay.create(id -> {
            confirmed.incrementAndGet();
            listener.accept(id);
        }), "floor-acknowledgements", Props.empty());
    }

    static FloorTarget start(JournalStore store) {
        SchemaCreator.create(store);
        return new FloorTarget(store, ActorSystem.create(Behaviors.empty(), "hasm-floor",
                store.applyTo(ClusterSettings.oneNode().withFallback(ConfigFactory.load()))));
    }

    @Override
    public String describe() {
        return "floor accounts in this process, journals in " + store.describe();
    }

    @Override
    public void provision(ProvisionedMeter meter) {
        // a floor account opens nothing: it needs no keys
    }

    @Override
    public void onAcknowledgement(LongConsumer acknowledged) {
        this.listener = acknowledged;
    }

    @Override
    public void deliver(long deliveryId, String meterId, byte[] frame) {
        accounts.tell(new ShardingEnvelope<>(meterId, new FloorAccount.Deliver(deliveryId, frame, acknowledgements)));
    }

    @Override
    public Tally tally(Collection<String> meterIds) {
        return new Tally(confirmed.get(), Map.of());
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}

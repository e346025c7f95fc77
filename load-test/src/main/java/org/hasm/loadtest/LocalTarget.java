package org.hasm.loadtest;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.fleet.CentralSystemFactory;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;

/**
 * The central system started in this process, as {@code hasm simulate} starts it: sharded accounts on a
 * one-node cluster, journals in the given store. The load generator stands in for the concentrator.
 */
public final class LocalTarget extends CentralSystemTarget {
    /** As in the neighbourhood: an account acknowledges a meter's readings every 24 (a sealed frame and an event). */
    static final int ACKNOWLEDGE_EVERY = NeighbourhoodPlan.ACKNOWLEDGE_EVERY;

    private final JournalStore store;
    private final Map<String, ProvisionedMeter> registry;

    private LocalTarget(JournalStore store, Map<String, ProvisionedMeter> registry, ActorSystem<Void> system,
                        CentralSystem.Handles central) {
        super(system, central);
        this.store = store;
        this.registry = registry;
    }

    /** Creates the store's schema and starts the central system on it. */
    public static LocalTarget start(JournalStore store) {
        SchemaCreator.create(store);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hasm-load-test",
                store.applyTo(ClusterSettings.oneNode().withFallback(ConfigFactory.load())));
        Map<String, ProvisionedMeter> registry = new ConcurrentHashMap<>();
        SigningKeys a = SigningKeys.generate(SimulationRandomness.seeded(1, "load-test operator a"));
        SigningKeys b = SigningKeys.generate(SimulationRandomness.seeded(1, "load-test operator b"));
        // the downlink (acknowledgement frames for the meters) is sealed and persisted, then dropped: no meter listens
        CentralSystem.Handles central = CentralSystemFactory.start(system, registry::get,
                Map.of("a", a.verifyingKey(), "b", b.verifyingKey()), 1, ACKNOWLEDGE_EVERY, List.of(), system.ignoreRef());
        return new LocalTarget(store, registry, system, central);
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
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}

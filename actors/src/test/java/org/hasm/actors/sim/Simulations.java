package org.hasm.actors.sim;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.policy.FlowPolicy;

/** Runs a scenario into a store the way {@code hasm simulate} does, for tests that look at what it left. */
public final class Simulations {
    private Simulations() {
    }

    /** The meters' public log keys, as 'hasm simulate' writes them beside the store. */
    public static LogKeyRegister keys(Scenario scenario) {
        SeededFleet fleet = new SeededFleet(scenario.seed(), scenario.meters());
        java.util.Map<String, LogKeyRegister.LogKeys> keys = new java.util.HashMap<>();
        for (int i = 0; i < scenario.meters(); i++) {
            keys.put(SeededFleet.meterId(i), fleet.apply(SeededFleet.meterId(i)).logKeys());
        }
        return LogKeyRegister.of(keys);
    }

    /**
     * Creates the store's schema, runs {@code scenario} in an actor system of its own and stops that system
     * before returning, so the store can be read (or tampered with) afterwards.
     *
     * @param intervalsInFlight 1 for the reproducible lockstep {@code hasm simulate} uses
     */
    public static Neighbourhood.Result run(JournalStore store, Scenario scenario, int intervalsInFlight) throws Exception {
        SchemaCreator.create(store);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hasm",
                store.applyTo(Neighbourhood.actorSystemConfig(ConfigFactory.load())));
        try {
            Neighbourhood n = new Neighbourhood(system, scenario, intervalsInFlight, FlowPolicy.shipped());
            n.assemble(done -> { });
            return n.run((done, total, time, readings) -> { });
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
    }
}

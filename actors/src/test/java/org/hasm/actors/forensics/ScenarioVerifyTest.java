package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.sim.Neighbourhood;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.SchemaCreator;
import org.hasm.policy.FlowPolicy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scenarios whose logs look least like an ordinary day still verify: a flood folded into summaries and
 * quota notes (which move a segment's head between two anchors), and a concentrator that tampers with
 * frames (anchors among them are refused by the central system and never recorded).
 */
class ScenarioVerifyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"log-flood, 12", "tampering-concentrator, 8"})
    void theScenarioLeavesLogsThatVerify(String name, int meters) throws Exception {
        JournalStore store = JournalStore.h2(dir.resolve(name));
        SchemaCreator.create(store);
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "hasm",
                store.applyTo(Neighbourhood.actorSystemConfig(ConfigFactory.load())));
        try {
            Neighbourhood n = new Neighbourhood(system, Scenario.load(name).withMeters(meters), 1, FlowPolicy.shipped());
            n.assemble(done -> { });
            n.run((done, total, time, readings) -> { });
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get();
        }
        StoreVerification.Result r = StoreVerification.verify(store.readOnly());
        assertTrue(r.intact(), () -> VerificationOutput.table(r, false));
        assertTrue(r.anchors() > 0 && r.entries() > 0, VerificationOutput.summary(r));
    }
}

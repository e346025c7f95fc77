package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hasm.actors.sim.Simulations;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
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
        Scenario scenario = Scenario.load(name).withMeters(meters);
        Simulations.run(store, scenario, 1);
        StoreVerification.Result r = StoreVerification.verify(store.readOnly(), Simulations.keys(scenario));
        assertTrue(r.intact(), () -> VerificationOutput.table(r, false));
        assertTrue(r.anchors() > 0 && r.entries() > 0, VerificationOutput.summary(r));
    }
}

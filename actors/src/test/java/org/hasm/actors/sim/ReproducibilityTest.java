package org.hasm.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.ChainHeads;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same seed and scenario write the same logs, entry for entry: the fingerprint over all chain heads says so. */
class ReproducibilityTest {
    @TempDir
    Path dir;

    private record Run(ChainHeads heads, Neighbourhood.Result result) {
    }

    /** As {@code hasm simulate} runs it: one interval at a time, each settled before the next. */
    private Run run(Scenario scenario, String name) throws Exception {
        JournalStore store = JournalStore.h2(dir.resolve(name));
        Neighbourhood.Result result = Simulations.run(store, scenario, 1);
        return new Run(ChainHeads.read(store), result);
    }

    @Test
    void theSameSeedAndScenarioGiveTheSameFingerprintAndAnotherSeedDoesNot() throws Exception {
        // prepaid households that run out, are cut off, top up and reconnect, and a signed tariff change:
        // the paths where inputs from different parties meet in one meter
        Scenario scenario = Scenario.load("neighbourhood").withMeters(24);
        Run first = run(scenario, "first");
        Run second = run(scenario, "second");

        assertTrue(first.result().switchOffs() > 0 && first.result().topUps() > 0,
                "the run exercised cut-offs and top-ups: " + first.result());
        assertEquals(first.heads().heads().keySet(), second.heads().heads().keySet());
        assertEquals(first.heads().entries(), second.heads().entries());
        assertEquals(first.heads().fingerprint(), second.heads().fingerprint(), "entry for entry the same logs");
        assertTrue(first.result().pushedToHomes() > 0, "the HAN gateway handed the meters' pushes to the homes");
        assertEquals(first.result().pushedToHomes(), second.result().pushedToHomes(), "the homes saw the same pushes");

        Run otherSeed = run(scenario.withSeed(scenario.seed() + 1), "other-seed");
        assertNotEquals(first.heads().fingerprint(), otherSeed.heads().fingerprint());
    }
}

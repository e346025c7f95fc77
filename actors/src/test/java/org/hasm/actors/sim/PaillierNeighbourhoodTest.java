package org.hasm.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.jdbc.JournalStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code aggregation = paillier} runs for real: meters encrypt their shares under the central system's key,
 * the concentrator multiplies ciphertexts it cannot read, and the key holder's sums equal what zero-sum
 * masking gives for the same households.
 */
class PaillierNeighbourhoodTest {
    @TempDir
    Path dir;

    private Neighbourhood.Result run(String aggregation) throws Exception {
        Path file = dir.resolve(aggregation + ".conf");
        // hourly intervals keep the 2048-bit encryptions few: 10 meters x 24 intervals
        Files.writeString(file, "meters = 10\ndays = 1\nseed = 7\ninterval = 60 minutes\naggregation = " + aggregation + "\n");
        Scenario scenario = Scenario.load(file.toString());
        JournalStore store = JournalStore.h2(dir.resolve(aggregation));
        return Simulations.run(store, scenario, 1);
    }

    @Test
    void paillierSumsEqualZeroSumSumsForTheSameHouseholds() throws Exception {
        Neighbourhood.Result paillier = run("paillier");
        Neighbourhood.Result zeroSum = run("zero-sum");

        assertEquals(10L * 24, paillier.readings(), "every reading was counted in a Paillier aggregate");
        List<Long> paillierSums = paillier.samples().stream().map(Neighbourhood.IntervalSample::aggregateWh).toList();
        List<Long> zeroSumSums = zeroSum.samples().stream().map(Neighbourhood.IntervalSample::aggregateWh).toList();
        assertTrue(paillierSums.stream().anyMatch(wh -> wh > 0), "the households used energy: " + paillierSums);
        assertEquals(zeroSumSums, paillierSums);
    }
}

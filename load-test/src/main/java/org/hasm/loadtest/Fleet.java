package org.hasm.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.fleet.SeededFleet;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.sim.scenario.SimulationSettings;

/** Provisions the load test's meters: fresh keys from the central system's factory, given to the target and to each meter. */
public final class Fleet {
    private Fleet() {
    }

    /**
     * @param prefix    of the meter ids; a new one per run keeps an earlier run's accounts in a shared PostgreSQL
     *                  from answering for these meters (their counters would refuse the new frames as replays)
     * @param assembled told after each meter
     */
    public static List<LoadMeter> provision(int meters, long seed, String prefix, CentralTarget target, IntConsumer assembled) {
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(seed, "load-test provisioning"));
        List<LoadMeter> fleet = new ArrayList<>(meters);
        for (int i = 0; i < meters; i++) {
            ProvisionedMeter keys = provisioning.provision(String.format(Locale.ROOT, "%s%06d", prefix, i + 1));
            target.provision(keys);
            fleet.add(new LoadMeter(keys.csSecurityKeys(), SimulationSettings.START, seed * 1_000_003L + i));
            assembled.accept(i + 1);
        }
        return fleet;
    }

    /**
     * The first {@code meters} meters of the fleet a central node derives from {@code seedKeys}
     * ({@link SeededFleet}: {@code m00000} ...), each going on after the counter its account last took.
     */
    public static List<LoadMeter> seeded(int meters, long seedKeys, long seed, Map<String, Long> lastCounters,
                                  IntConsumer assembled) {
        SeededFleet keys = new SeededFleet(seedKeys, meters);
        List<LoadMeter> fleet = new ArrayList<>(meters);
        for (int i = 0; i < meters; i++) {
            String id = SeededFleet.meterId(i);
            fleet.add(new LoadMeter(keys.apply(id).csSecurityKeys(), SimulationSettings.START, seed * 1_000_003L + i,
                    lastCounters.getOrDefault(id, 0L)));
            assembled.accept(i + 1);
        }
        return fleet;
    }
}

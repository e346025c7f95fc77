package org.hasm.actors.fleet;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hasm.actors.concentrator.AggregationGroup;
import org.hasm.actors.concentrator.DataConcentrator;
import org.hasm.actors.crypto.AggregationScheme;
import org.hasm.actors.crypto.PaillierAggregation;
import org.hasm.actors.crypto.PaillierKeyPair;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.Tariff;

/**
 * What every process of one neighbourhood derives from the seed and the number of meters, so that the
 * meters node and the concentrator node of a simulation split over processes ({@code hasm simulate
 * --processes 3}) hold the two halves of the same aggregation groups, and one process and three give the
 * same logs. Each group's keys come from their own stream, so nothing depends on the order of derivation.
 * The meters' keys come from {@link SeededFleet} in the same way; the operators' and the concentrator's
 * signing keys from here, so that a central node started apart verifies what the driver's side signs.
 */
public final class NeighbourhoodPlan {
    /** A group of this many meters shares one aggregation round; the remainder joins the last group. */
    public static final int GROUP = 8;
    /** P14: the concentrator publishes no aggregate over fewer meters (or all of them, in a smaller run). */
    public static final int MINIMUM_GROUP = 5;
    public static final double TECHNICAL_LOSSES = 0.03;
    /** The neighbourhood's one data concentrator: every meter and the feeder meter are under it. */
    public static final String CONCENTRATOR = "dc-1";
    /** The utility's time-of-use tariff in every simulation (15 and 35 c/kWh, peak 17-21 h). */
    public static final Tariff TARIFF = Tariff.timeOfUse(15_000, 35_000, 17, 21);
    /** Readings acknowledged every six hours, not one by one: each acknowledgement is a MetrologyLog entry. */
    public static final int ACKNOWLEDGE_EVERY = 24;
    /** The utility's operators; each holds its own signing credential for the gateway (P16). */
    private static final List<String> OPERATORS = List.of("alice", "bob", "carol");

    private NeighbourhoodPlan() {
    }

    /** The key the concentrator signs its fraud alerts with, derived from the seed as {@link #operatorKeys} are. */
    public static SigningKeys concentratorAlertKey(long seed) {
        return SigningKeys.generate(SimulationRandomness.seeded(seed, "concentrator"));
    }

    /**
     * The utility's operators and every operator {@code named} (by a scenario's timeline: a credential of the
     * utility's, stolen or not), each with a signing key derived from the seed, so that any process (a central
     * node) derives the same.
     */
    public static Map<String, SigningKeys> operatorKeys(long seed, Collection<String> named) {
        Set<String> names = new TreeSet<>(OPERATORS);
        names.addAll(named);
        Map<String, SigningKeys> keys = new TreeMap<>();
        for (String operator : names) {
            keys.put(operator, SigningKeys.generate(SimulationRandomness.seeded(seed, "operator-" + operator)));
        }
        return keys;
    }

    /**
     * The groups of one neighbourhood: the meters' side ({@code schemes}, one per group, each meter takes its
     * index's part) and the concentrator's ({@code groups}, named {@code g0}, {@code g1}, ...).
     *
     * @param reader the central system's key to the group sums under Paillier, null under zero-sum masking
     */
    public record Aggregation(List<Integer> sizes, List<AggregationScheme> schemes, List<AggregationGroup> groups,
                              AggregationScheme.AggregateReader reader) {
        public Aggregation {
            sizes = List.copyOf(sizes);
            schemes = List.copyOf(schemes);
            groups = List.copyOf(groups);
        }
    }

    /** Groups of {@link #GROUP}; a remainder of fewer than {@code GROUP} joins the last full group. */
    public static List<Integer> groupSizes(int meters) {
        List<Integer> sizes = new ArrayList<>();
        for (int left = meters; left > 0; ) {
            int size = left < 2 * GROUP ? left : GROUP;
            sizes.add(size);
            left -= size;
        }
        return sizes;
    }

    /** Zero-sum masking, or Paillier with one key pair of the central system for every group (the concentrator gets its public side). */
    public static Aggregation aggregation(long seed, int meters, boolean paillier) {
        List<Integer> sizes = groupSizes(meters);
        List<AggregationScheme> schemes = new ArrayList<>();
        List<AggregationGroup> groups = new ArrayList<>();
        PaillierKeyPair keys = paillier ? PaillierKeyPair.generate(SimulationRandomness.seeded(seed, "paillier key")) : null;
        for (int g = 0; g < sizes.size(); g++) {
            if (paillier) {
                SecureRandom shares = SimulationRandomness.seeded(seed, "paillier group " + g);
                schemes.add(PaillierAggregation.withKeyHolder(keys, sizes.get(g), shares));
                groups.add(AggregationGroup.paillier("g" + g, PaillierAggregation.withoutKeyHolder(keys.publicKey(), sizes.get(g), shares)));
            } else {
                ZeroSumMasking scheme = ZeroSumMasking.generateGroup(sizes.get(g), SimulationRandomness.seeded(seed, "zero-sum group " + g));
                schemes.add(scheme);
                groups.add(AggregationGroup.zeroSum("g" + g, scheme));
            }
        }
        return new Aggregation(sizes, schemes, groups, paillier ? schemes.get(0).reader() : null);
    }

    /** The neighbourhood's concentrator, sized for {@code meters}. */
    public static DataConcentrator.Settings concentratorSettings(String concentratorId, int meters) {
        return DataConcentrator.Settings.defaults(concentratorId)
                // Every six hours each meter anchors its six segments at once: room for eight frames per meter,
                // or 10,000 meters overflow a fixed queue (12,988 frames refused in one run before this)
                .withQueue(512, Math.max(20_000, 8 * meters), Math.max(16_000, 6 * meters), Math.max(4_000, 2 * meters))
                .withMinimumGroupSize(Math.min(MINIMUM_GROUP, meters))
                .withFraudDetection(TECHNICAL_LOSSES, 0.02, 4);
    }
}

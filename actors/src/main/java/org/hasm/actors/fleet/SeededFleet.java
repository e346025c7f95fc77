package org.hasm.actors.fleet;

import java.util.Locale;
import java.util.function.Function;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.crypto.SimulationRandomness;

/**
 * The keys of a simulated fleet of {@code meters} meters ({@code m00000}, {@code m00001}, ...), derived from
 * the scenario's seed alone: any process that knows the seed derives the same keys for the same meter, in
 * any order. This is how a central node and a meters node started apart agree on keys.
 *
 * <p>Trust assumption: this stands in for a provisioning database. Whoever knows the seed knows every key
 * ({@link SimulationRandomness}); a deployment loads each meter's keys from a key store written when the
 * meter was made, and the seed must never be used outside simulations and tests.
 *
 * <p>Thread-safe: each call derives a fresh {@link ProvisionedMeter} with its counters at zero, what a key
 * store gives back, so each {@link org.hasm.actors.central.MeterAccount} owns its own instance.
 */
public final class SeededFleet implements Function<String, ProvisionedMeter> {
    public static final String CENTRAL_SYSTEM_ID = "cs-1";

    private final long seed;
    private final int meters;
    private final Provisioning provisioning;

    public SeededFleet(long seed, int meters) {
        if (meters < 0) {
            throw new IllegalArgumentException("a fleet of " + meters + " meters");
        }
        this.seed = seed;
        this.meters = meters;
        this.provisioning = new Provisioning(CENTRAL_SYSTEM_ID, SimulationRandomness.seeded(seed, "fleet command key"));
    }

    /** The id of the fleet's {@code index}-th meter, as the simulation names them. */
    public static String meterId(int index) {
        return String.format(Locale.ROOT, "m%05d", index);
    }

    public int meters() {
        return meters;
    }

    public Provisioning provisioning() {
        return provisioning;
    }

    /** The keys of {@code meterId}, or null when it is not one of the fleet's meters (its frames are refused). */
    @Override
    public ProvisionedMeter apply(String meterId) {
        int index = indexOf(meterId);
        if (index < 0) {
            return null;
        }
        return provisioning.provision(meterId, SimulationRandomness.seeded(seed, "provisioning " + meterId));
    }

    private int indexOf(String meterId) {
        if (meterId == null || meterId.length() != 6 || meterId.charAt(0) != 'm') {
            return -1;
        }
        for (int i = 1; i < 6; i++) {
            if (meterId.charAt(i) < '0' || meterId.charAt(i) > '9') {
                return -1;
            }
        }
        int index = Integer.parseInt(meterId.substring(1));
        return index < meters ? index : -1;
    }
}

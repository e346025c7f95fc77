package org.hasm.actors.crypto;

import java.security.SecureRandom;

/** Shared test material: reproducible randomness and one cached Paillier key pair (keygen is slow). */
final class Fixtures {
    static final long SEED = 20_160_107L;

    private Fixtures() {
    }

    static SecureRandom random(String stream) {
        return SimulationRandomness.seeded(SEED, stream);
    }

    /** Generated on first use, once per test JVM. */
    static PaillierKeyPair paillierKeys() {
        return PaillierKeys.KEYS;
    }

    private static final class PaillierKeys {
        static final PaillierKeyPair KEYS = PaillierKeyPair.generate(random("paillier test key pair"));
    }
}

package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SimulationRandomnessTest {

    private static byte[] draw(long seed, String stream) {
        byte[] out = new byte[64];
        SimulationRandomness.seeded(seed, stream).nextBytes(out);
        return out;
    }

    @Test
    void sameSeedAndStreamReproduceTheSameBytes() {
        assertArrayEquals(draw(7, "meter-1 channel key"), draw(7, "meter-1 channel key"));
    }

    @Test
    void anotherSeedOrStreamGivesOtherBytes() {
        byte[] base = draw(7, "meter-1 channel key");
        assertFalse(Arrays.equals(base, draw(8, "meter-1 channel key")));
        assertFalse(Arrays.equals(base, draw(7, "meter-2 channel key")));
    }

    @Test
    void keysGeneratedFromTheSameSeedAreTheSame() {
        ChannelKey a = ChannelKey.generate(SimulationRandomness.seeded(3, "k"));
        ChannelKey b = ChannelKey.generate(SimulationRandomness.seeded(3, "k"));
        assertArrayEquals(a.toBytes(), b.toBytes());
    }
}

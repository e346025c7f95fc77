package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** One 50-meter group per class: setting it up costs 50 × 49 X25519 agreements. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZeroSumMaskingTest {
    private static final int METERS = 50;

    private final SecureRandom random = Fixtures.random("zero-sum masking test");
    private final ZeroSumMasking scheme = ZeroSumMasking.generateGroup(METERS, random);

    private long[] readings(int count) {
        long[] readings = new long[count];
        for (int i = 0; i < count; i++) {
            readings[i] = random.nextInt(5_000) - 1_000;
        }
        return readings;
    }

    @Test
    void sumOverTheWholeGroupIsExact() {
        for (long round = 1; round <= 5; round++) {
            long[] readings = readings(METERS);
            List<Share> shares = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < METERS; i++) {
                shares.add(scheme.meter(i).share(round, readings[i]));
                expected += readings[i];
            }
            assertEquals(expected, scheme.reader().total(scheme.combine(shares)), "round " + round);
        }
    }

    @Test
    void aSingleShareDiffersFromItsReading() {
        for (int i = 0; i < METERS; i++) {
            Share.Masked share = (Share.Masked) scheme.meter(i).share(7, 1_234);
            assertNotEquals(1_234, share.value(), "meter " + i);
        }
    }

    @Test
    void masksSumToZeroOverTheGroupButNotOverAnyStrictSubset() {
        ZeroSumMasking small = ZeroSumMasking.generateGroup(6, random);
        long round = 42;
        long[] masks = new long[6];
        for (int i = 0; i < 6; i++) {
            masks[i] = small.meter(i).netMask(round);
        }
        int all = (1 << 6) - 1;
        for (int subset = 1; subset <= all; subset++) {
            long sum = 0;
            for (int i = 0; i < 6; i++) {
                if ((subset & (1 << i)) != 0) {
                    sum += masks[i];
                }
            }
            if (subset == all) {
                assertEquals(0, sum, "the whole group");
            } else {
                assertNotEquals(0, sum, "subset " + Integer.toBinaryString(subset));
            }
        }
    }

    @Test
    void largeGroupMasksCancelOnlyAsAWhole() {
        long round = 99;
        long total = 0;
        for (int i = 0; i < METERS; i++) {
            total += scheme.meter(i).netMask(round);
            if (i < METERS - 1) {
                assertNotEquals(0, total, "the first " + (i + 1) + " meters");
            }
        }
        assertEquals(0, total);
    }

    @Test
    void missingMetersRecoveryYieldsTheExactSumOfThePresentMeters() {
        for (Set<Integer> missing : List.of(Set.of(17), Set.of(0, METERS - 1), Set.of(3, 4, 5, 30, 31))) {
            long round = 1000 + missing.size();
            long[] readings = readings(METERS);
            List<Share> shares = new ArrayList<>();
            long expected = 0;
            for (int i = 0; i < METERS; i++) {
                if (!missing.contains(i)) {
                    shares.add(scheme.meter(i).share(round, readings[i]));
                    expected += readings[i];
                }
            }
            Share withoutRecovery = scheme.combine(shares);
            assertNotEquals(expected, scheme.reader().total(withoutRecovery), "masks of " + missing + " remain");

            for (int i = 0; i < METERS; i++) {
                if (!missing.contains(i)) {
                    shares.add(scheme.meter(i).recoveryShare(round, missing));
                }
            }
            assertEquals(expected, scheme.reader().total(scheme.combine(shares)), "missing " + missing);
        }
    }

    @Test
    void sharesOfAnotherRoundAreNotCombined() {
        List<Share> mixed = List.of(scheme.meter(0).share(1, 10), scheme.meter(1).share(2, 10));
        assertThrows(IllegalArgumentException.class, () -> scheme.combine(mixed));
    }

    @Test
    void aMeterCannotBeMissingForItselfNorOutsideTheGroup() {
        assertThrows(IllegalArgumentException.class, () -> scheme.meter(3).recoveryShare(1, Set.of(3)));
        assertThrows(IllegalArgumentException.class, () -> scheme.meter(3).recoveryShare(1, Set.of(METERS)));
    }

    @Test
    void pairKeysAreAgreedFromOwnPrivateKeyAndThePublicRosterOnly() {
        List<MaskingKeys> keys = new ArrayList<>();
        List<byte[]> roster = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            keys.add(MaskingKeys.generate(random));
            roster.add(keys.get(i).publicKey());
        }
        // Each meter builds its side independently, as its DcSecurity would.
        List<PairwiseMasks> meters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            meters.add(new PairwiseMasks(i, MaskingKeys.of(keys.get(i).privateKeyBytes()), List.copyOf(roster)));
        }
        long sum = 0;
        for (PairwiseMasks meter : meters) {
            sum += meter.netMask(5);
        }
        assertEquals(0, sum);
        assertThrows(IllegalArgumentException.class, () -> new PairwiseMasks(1, keys.get(0), roster),
                "a meter must find its own key at its own index");
    }

    @Test
    void sameSeedGivesTheSameShares() {
        ZeroSumMasking a = ZeroSumMasking.generateGroup(5, SimulationRandomness.seeded(11, "group"));
        ZeroSumMasking b = ZeroSumMasking.generateGroup(5, SimulationRandomness.seeded(11, "group"));
        Set<Long> seen = new TreeSet<>();
        for (int i = 0; i < 5; i++) {
            Share.Masked fromA = (Share.Masked) a.meter(i).share(3, 100);
            assertEquals(fromA, b.meter(i).share(3, 100));
            seen.add(fromA.value());
        }
        assertEquals(5, seen.size());
    }
}

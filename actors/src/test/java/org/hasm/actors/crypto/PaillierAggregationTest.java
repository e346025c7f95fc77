package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PaillierAggregationTest {
    private static final int METERS = 50;
    private static final long ROUND = 12;

    private final SecureRandom random = Fixtures.random("paillier aggregation test");
    private PaillierAggregation scheme;
    private long[] readings;
    /** One round's shares, encrypted once: 2048-bit encryption is the slow part of this class. */
    private List<Share> shares;

    @BeforeAll
    void encryptOneRound() {
        scheme = PaillierAggregation.withKeyHolder(Fixtures.paillierKeys(), METERS, random);
        readings = new long[METERS];
        shares = new ArrayList<>();
        for (int i = 0; i < METERS; i++) {
            readings[i] = random.nextInt(5_000) - 1_000;
            shares.add(scheme.meter(i).share(ROUND, readings[i]));
        }
    }

    @Test
    void keyHasA2048BitModulus() {
        assertEquals(2048, Fixtures.paillierKeys().publicKey().modulus().bitLength());
    }

    @Test
    void sumOverTheWholeGroupIsExact() {
        long expected = 0;
        for (long reading : readings) {
            expected += reading;
        }
        assertEquals(expected, scheme.reader().total(scheme.combine(shares)));
    }

    @Test
    void aSingleShareIsACiphertextNotItsReading() {
        for (int i = 0; i < METERS; i++) {
            BigInteger ciphertext = ((Share.Encrypted) shares.get(i)).ciphertext();
            assertNotEquals(BigInteger.valueOf(readings[i]), ciphertext);
            assertTrue(ciphertext.bitLength() > 2048, "a ciphertext lives mod n²");
        }
    }

    @Test
    void encryptionsOfTheSameReadingDiffer() {
        PaillierPublicKey key = Fixtures.paillierKeys().publicKey();
        BigInteger first = key.encrypt(1_234, random);
        BigInteger second = key.encrypt(1_234, random);

        assertNotEquals(first, second);
        assertEquals(1_234, Fixtures.paillierKeys().privateKey().decrypt(first));
        assertEquals(1_234, Fixtures.paillierKeys().privateKey().decrypt(second));
    }

    @Test
    void missingMetersNeedNoRecoveryAndTheSumOfThePresentIsExact() {
        Set<Integer> missing = Set.of(0, 17, 49);
        List<Share> present = new ArrayList<>();
        long expected = 0;
        for (int i = 0; i < METERS; i++) {
            if (!missing.contains(i)) {
                present.add(shares.get(i));
                present.add(scheme.meter(i).recoveryShare(ROUND, missing));
                expected += readings[i];
            }
        }
        assertEquals(expected, scheme.reader().total(scheme.combine(present)));
    }

    @Test
    void recoveryRefusesAMissingSetWithItselfOrOutsideTheGroup() {
        assertThrows(IllegalArgumentException.class, () -> scheme.meter(3).recoveryShare(ROUND, Set.of(3)));
        assertThrows(IllegalArgumentException.class, () -> scheme.meter(3).recoveryShare(ROUND, Set.of(METERS)));
    }

    @Test
    void negativeTotalsComeBackSigned() {
        List<Share> debits = List.of(scheme.meter(0).share(1, -700), scheme.meter(1).share(1, 200));
        assertEquals(-500, scheme.reader().total(scheme.combine(debits)));
    }

    @Test
    void concentratorsViewCannotReadAggregates() {
        PaillierAggregation concentrator = PaillierAggregation.withoutKeyHolder(
                Fixtures.paillierKeys().publicKey(), METERS, random);

        Share combined = concentrator.combine(shares);
        assertThrows(IllegalStateException.class, concentrator::reader);
        assertEquals(scheme.reader().total(combined), scheme.reader().total(scheme.combine(shares)));
    }

    @Test
    void foreignOrMixedRoundSharesAreNotCombined() {
        List<Share> mixedRounds = List.of(shares.get(0), new Share.Encrypted(ROUND + 1,
                ((Share.Encrypted) shares.get(1)).ciphertext()));
        List<Share> notACiphertext = List.of(new Share.Encrypted(ROUND, BigInteger.ZERO));
        List<Share> masked = List.of(new Share.Masked(ROUND, 5));

        assertThrows(IllegalArgumentException.class, () -> scheme.combine(mixedRounds));
        assertThrows(IllegalArgumentException.class, () -> scheme.combine(notACiphertext));
        assertThrows(IllegalArgumentException.class, () -> scheme.combine(masked));
    }
}

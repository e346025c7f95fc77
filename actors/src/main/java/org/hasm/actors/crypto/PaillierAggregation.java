package org.hasm.actors.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Additively homomorphic aggregation with Paillier (EUROCRYPT '99; the paper's reference [3]), 2048-bit
 * modulus: each meter encrypts its reading under the group's public key, the concentrator multiplies the
 * ciphertexts (adding the readings) without being able to read any of them, and only the private-key holder
 * decrypts the total.
 *
 * <p>A missing meter needs no recovery: its reading is simply absent from the product. Recovery shares
 * are therefore the ciphertext 1, an encryption of 0 and the neutral element of the product, which keeps
 * the round protocol of {@link AggregationScheme} identical for both schemes.
 *
 * <p>Costs one 2048-bit-exponent exponentiation mod n² per share and 512 bytes on the wire: orders of
 * magnitude above {@link ZeroSumMasking}, in exchange for needing no pairwise keys between meters.
 */
public final class PaillierAggregation implements AggregationScheme {
    private static final BigInteger NEUTRAL = BigInteger.ONE;

    private final PaillierPublicKey publicKey;
    private final PaillierPrivateKey privateKey;
    private final int groupSize;
    private final SecureRandom random;

    private PaillierAggregation(PaillierPublicKey publicKey, PaillierPrivateKey privateKey, int groupSize,
                                SecureRandom random) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("group size " + groupSize);
        }
        this.publicKey = Objects.requireNonNull(publicKey);
        this.privateKey = privateKey;
        this.groupSize = groupSize;
        this.random = Objects.requireNonNull(random);
    }

    /** The whole group including the key holder: for wiring a simulation, tests and benchmarks. */
    public static PaillierAggregation withKeyHolder(PaillierKeyPair keys, int groupSize, SecureRandom random) {
        return new PaillierAggregation(keys.publicKey(), keys.privateKey(), groupSize, random);
    }

    /** What meters and the concentrator hold: {@link #reader()} is not available. */
    public static PaillierAggregation withoutKeyHolder(PaillierPublicKey publicKey, int groupSize,
                                                       SecureRandom random) {
        return new PaillierAggregation(publicKey, null, groupSize, random);
    }

    @Override
    public String name() {
        return "Paillier-" + publicKey.modulus().bitLength();
    }

    @Override
    public int groupSize() {
        return groupSize;
    }

    @Override
    public MeterShares meter(int meterIndex) {
        Objects.checkIndex(meterIndex, groupSize);
        return new MeterShares() {
            @Override
            public int meterIndex() {
                return meterIndex;
            }

            @Override
            public Share share(long round, long reading) {
                return new Share.Encrypted(round, publicKey.encrypt(reading, random));
            }

            @Override
            public Share recoveryShare(long round, Set<Integer> missingMeters) {
                for (int j : missingMeters) {
                    if (j == meterIndex || j < 0 || j >= groupSize) {
                        throw new IllegalArgumentException("meter " + j + " cannot be missing for meter " + meterIndex);
                    }
                }
                return new Share.Encrypted(round, NEUTRAL);
            }
        };
    }

    /** The product of the ciphertexts mod n²; all must be valid {@link Share.Encrypted} of one round. */
    @Override
    public Share combine(List<? extends Share> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        long round = shares.get(0).round();
        BigInteger product = NEUTRAL;
        for (Share share : shares) {
            if (!(share instanceof Share.Encrypted encrypted) || encrypted.round() != round
                    || !publicKey.isCiphertext(encrypted.ciphertext())) {
                throw new IllegalArgumentException("not a Paillier share of round " + round + ": " + share);
            }
            product = publicKey.add(product, encrypted.ciphertext());
        }
        return new Share.Encrypted(round, product);
    }

    /** Decrypts with the private key; only the key holder's instance has one. */
    @Override
    public AggregateReader reader() {
        if (privateKey == null) {
            throw new IllegalStateException("only the private-key holder can read a Paillier aggregate");
        }
        return combined -> {
            if (!(combined instanceof Share.Encrypted encrypted)) {
                throw new IllegalArgumentException("not a Paillier share: " + combined);
            }
            return privateKey.decrypt(encrypted.ciphertext());
        };
    }
}

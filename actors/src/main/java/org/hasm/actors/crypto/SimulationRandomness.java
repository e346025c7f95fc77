package org.hasm.actors.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.prng.EntropySource;
import org.bouncycastle.crypto.prng.EntropySourceProvider;
import org.bouncycastle.crypto.prng.SP800SecureRandomBuilder;

/**
 * Deterministic randomness for simulations and tests, and for nothing else.
 *
 * <p>DESIGN.md section 9 asks that the same seed and scenario give the same logs, which includes the keys
 * the simulated meters generate. This class gives a NIST SP 800-90A Hash_DRBG (SHA-256, Bouncy Castle's
 * {@link SP800SecureRandomBuilder}) whose only "entropy" is a 64-bit seed. Anyone who knows or guesses
 * the seed knows every key drawn from it, so the security strength is at most 64 bits and usually zero.
 * Production code draws from {@code new SecureRandom()} instead; the explicit name of this class is what
 * makes a misuse visible in review.
 *
 * <p>The {@code stream} label is the DRBG personalisation string: one seed gives independent streams for
 * independent purposes ("meter-0042 channel key", "paillier group 3"), so adding a draw to one purpose does
 * not shift the keys of every other purpose.
 */
public final class SimulationRandomness {
    private static final byte[] NONCE = "hasm simulation randomness v1".getBytes(StandardCharsets.US_ASCII);

    private SimulationRandomness() {
    }

    /** A reproducible generator: equal (seed, stream) give equal output, byte for byte. */
    public static SecureRandom seeded(long seed, String stream) {
        return new SP800SecureRandomBuilder(fixedSeed(seed))
                .setPersonalizationString(stream.getBytes(StandardCharsets.UTF_8))
                .buildHash(new SHA256Digest(), NONCE, false);
    }

    /**
     * An "entropy source" that returns the seed in the first 8 bytes and zeros after it, every time it is
     * asked. Deliberately transparent: it is a seed, not entropy, and does not pretend otherwise.
     */
    private static EntropySourceProvider fixedSeed(long seed) {
        return bitsRequired -> new EntropySource() {
            @Override
            public boolean isPredictionResistant() {
                return false;
            }

            @Override
            public byte[] getEntropy() {
                byte[] input = new byte[(bitsRequired + 7) / 8];
                ByteBuffer.wrap(input).putLong(seed);
                return input;
            }

            @Override
            public int entropySize() {
                return bitsRequired;
            }
        };
    }
}

package org.hasm.actors.crypto;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * One meter's side of {@link ZeroSumMasking} (Kursawe, Danezis, Kohlweiss, PETS 2011): everything meter
 * {@code i}'s DcSecurity needs, and nothing about any pair it is not part of.
 *
 * <p>For every other meter {@code j} of the group the pair shares a key
 * {@code k_ij = HKDF-SHA256(X25519(i, j), info = "hasm/zero-sum-pair-key/v1" ‖ min(i,j) ‖ max(i,j) ‖
 * public keys)}, identical on both sides. Per round the pair mask is
 * {@code m_ij(r) = first 8 bytes of HMAC-SHA256(k_ij, r)}, read as a number mod 2<sup>64</sup>; the lower
 * index adds it and the higher index subtracts it, so over the whole group every mask appears once with
 * each sign and the sum of all masks is 0 mod 2<sup>64</sup>:
 * <pre>
 * share_i(r) = reading_i + Σ_{j&gt;i} m_ij(r) − Σ_{j&lt;i} m_ji(r)      (mod 2^64)
 * </pre>
 * Uniform 64-bit masks make one share (or any strict subset's sum) independent of the readings behind it.
 * Arithmetic mod 2<sup>64</sup> is Java's wrapping {@code long} arithmetic, exact by definition.
 */
public final class PairwiseMasks implements AggregationScheme.MeterShares {
    private static final String PAIR_KEY_DOMAIN = "hasm/zero-sum-pair-key/v1";
    private static final int PAIR_KEY_LENGTH = 32;

    private final int index;
    /** {@code pairKeys[j]} is the key this meter shares with meter {@code j}; {@code null} at its own index. */
    private final byte[][] pairKeys;
    /**
     * One PRF re-keyed per pair. Keeping one keyed HMAC per pair would save two of its four SHA-256 blocks
     * per mask but costs about 1 KiB of heap per group member per meter; with 10,000 meters in memory the
     * heap matters more. Not thread-safe: DcSecurity owns it.
     */
    private final HMac prf = new HMac(new SHA256Digest());

    /**
     * @param index  this meter's position in the roster
     * @param own    this meter's masking keys
     * @param roster every group member's X25519 public key, in group order (including this meter's own)
     */
    public PairwiseMasks(int index, MaskingKeys own, List<byte[]> roster) {
        if (roster.size() < 2 || index < 0 || index >= roster.size()) {
            throw new IllegalArgumentException("meter " + index + " in a group of " + roster.size());
        }
        if (!Arrays.equals(own.publicKey(), roster.get(index))) {
            throw new IllegalArgumentException("the roster entry " + index + " is not this meter's key");
        }
        this.index = index;
        this.pairKeys = new byte[roster.size()][];
        for (int j = 0; j < roster.size(); j++) {
            if (j != index) {
                pairKeys[j] = pairKey(own, roster, index, j);
            }
        }
    }

    private static byte[] pairKey(MaskingKeys own, List<byte[]> roster, int i, int j) {
        int low = Math.min(i, j);
        int high = Math.max(i, j);
        byte[] sharedSecret;
        try {
            sharedSecret = own.agree(roster.get(j));
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw new IllegalArgumentException("roster entry " + j + " is not a usable X25519 key", e);
        }
        byte[] info = new CanonicalEncoding.Writer(PAIR_KEY_DOMAIN)
                .i64(low).i64(high).blob(roster.get(low)).blob(roster.get(high))
                .toBytes();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, null, info));
        byte[] key = new byte[PAIR_KEY_LENGTH];
        hkdf.generateBytes(key, 0, key.length);
        Arrays.fill(sharedSecret, (byte) 0);
        return key;
    }

    @Override
    public int meterIndex() {
        return index;
    }

    @Override
    public Share share(long round, long reading) {
        return new Share.Masked(round, reading + netMask(round));
    }

    /**
     * Minus this meter's masks with the missing meters. Added to the present meters' shares it removes
     * exactly the masks that no longer cancel because their partner is absent. It reveals only the sum of
     * this meter's masks with the missing set for this one round.
     */
    @Override
    public Share recoveryShare(long round, Set<Integer> missingMeters) {
        long masks = 0;
        for (int j : missingMeters) {
            if (j == index || j < 0 || j >= pairKeys.length) {
                throw new IllegalArgumentException("meter " + j + " cannot be missing for meter " + index);
            }
            masks += signedPairMask(j, round);
        }
        return new Share.Masked(round, -masks);
    }

    /** The sum of this meter's signed pair masks for {@code round}; over the whole group these sum to 0. */
    long netMask(long round) {
        long masks = 0;
        for (int j = 0; j < pairKeys.length; j++) {
            if (j != index) {
                masks += signedPairMask(j, round);
            }
        }
        return masks;
    }

    private long signedPairMask(int j, long round) {
        prf.init(new KeyParameter(pairKeys[j]));
        for (int shift = 56; shift >= 0; shift -= 8) {
            prf.update((byte) (round >>> shift));
        }
        byte[] out = new byte[prf.getMacSize()];
        prf.doFinal(out, 0);
        long mask = 0;
        for (int b = 0; b < Long.BYTES; b++) {
            mask = (mask << 8) | (out[b] & 0xFF);
        }
        return index < j ? mask : -mask;
    }
}

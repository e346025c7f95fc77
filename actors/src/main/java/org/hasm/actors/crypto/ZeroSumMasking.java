package org.hasm.actors.crypto;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Zero-sum masking (Kursawe, Danezis, Kohlweiss, "Privacy-friendly aggregation for the smart-grid",
 * PETS 2011): each meter adds to its reading masks derived from keys it shares pairwise with the other
 * meters of its group ({@link PairwiseMasks}); the masks cancel exactly over the whole group, so the
 * concentrator's sum of shares is the sum of readings and no single share says anything about its reading.
 *
 * <p>The default scheme: one share costs {@code n-1} HMAC-SHA256 evaluations and 8 bytes on the wire, and
 * the sum is exact.
 *
 * <p><b>A missing meter.</b> If meters {@code M} send nothing in a round, the present meters' masks with
 * {@code M} no longer cancel. Each present meter then sends a recovery share (minus its masks with
 * {@code M} for that round) and the sum over the present meters is again exact. The price, inherent to
 * exact recovery: a concentrator that claims a present meter is missing, and still has its share, learns
 * that meter's reading for that round. DcSecurity should therefore answer recovery requests only for a
 * bounded number of rounds and meters, and log each one (P11), so such abuse is rate-limited and evident.
 */
public final class ZeroSumMasking implements AggregationScheme {
    private final List<PairwiseMasks> meters;

    /** The scheme over meters whose role objects are given in group order. */
    public ZeroSumMasking(List<PairwiseMasks> meters) {
        if (meters.size() < 2) {
            throw new IllegalArgumentException("masking needs at least two meters");
        }
        for (int i = 0; i < meters.size(); i++) {
            if (meters.get(i).meterIndex() != i) {
                throw new IllegalArgumentException("meter at position " + i + " has index "
                        + meters.get(i).meterIndex());
            }
        }
        this.meters = List.copyOf(meters);
    }

    /**
     * A whole group set up in one place, as a simulation does: every meter generates its
     * {@link MaskingKeys}, the roster of public keys is assembled and every meter derives its pair keys.
     */
    public static ZeroSumMasking generateGroup(int size, SecureRandom random) {
        List<MaskingKeys> keys = new ArrayList<>(size);
        List<byte[]> roster = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            MaskingKeys meterKeys = MaskingKeys.generate(random);
            keys.add(meterKeys);
            roster.add(meterKeys.publicKey());
        }
        List<PairwiseMasks> meters = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            meters.add(new PairwiseMasks(i, keys.get(i), roster));
        }
        return new ZeroSumMasking(meters);
    }

    @Override
    public String name() {
        return "zero-sum masking";
    }

    @Override
    public int groupSize() {
        return meters.size();
    }

    @Override
    public PairwiseMasks meter(int meterIndex) {
        return meters.get(meterIndex);
    }

    /** The sum of the shares mod 2<sup>64</sup>; all must be {@link Share.Masked} of one round. */
    @Override
    public Share combine(List<? extends Share> shares) {
        if (shares.isEmpty()) {
            throw new IllegalArgumentException("nothing to combine");
        }
        long round = shares.get(0).round();
        long sum = 0;
        for (Share share : shares) {
            if (!(share instanceof Share.Masked masked) || masked.round() != round) {
                throw new IllegalArgumentException("not a masked share of round " + round + ": " + share);
            }
            sum += masked.value();
        }
        return new Share.Masked(round, sum);
    }

    /** Once the masks have cancelled, the combined value is the sum: the concentrator reads it itself. */
    @Override
    public AggregateReader reader() {
        return combined -> {
            if (!(combined instanceof Share.Masked masked)) {
                throw new IllegalArgumentException("not a masked share: " + combined);
            }
            return masked.value();
        };
    }
}

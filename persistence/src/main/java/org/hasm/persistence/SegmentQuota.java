package org.hasm.persistence;

/**
 * How many entries one segment of one meter may hold. Entries marked {@link SegmentMessages.Retention#BOUNDED}
 * (refused attempts and their summaries) are written only while the segment holds fewer than
 * {@code maxEntries - reserve}; beyond that the segment counts them instead and records the count in one
 * summary entry. Entries marked {@link SegmentMessages.Retention#KEEP} (accepted commands, actuations,
 * readings, anchors) are always written: the reserve is the room kept for them and for the summaries,
 * so a flood of refused attempts can never push out the evidence the paper's "flush out an off-switch
 * command" attack would want gone.
 *
 * @param maxEntries the segment's quota
 * @param reserve    the part of the quota only kept entries and summaries may use
 */
public record SegmentQuota(long maxEntries, long reserve) {
    /** No quota: for tests of other things and for value segments, which hold only accepted values. */
    public static final SegmentQuota UNLIMITED = new SegmentQuota(Long.MAX_VALUE, 0);

    public SegmentQuota {
        if (maxEntries < 1 || reserve < 0 || reserve >= maxEntries) {
            throw new IllegalArgumentException("a segment quota needs maxEntries >= 1 and 0 <= reserve < maxEntries, not "
                    + maxEntries + "/" + reserve);
        }
    }

    /** A quota of {@code maxEntries} that keeps a tenth of it (at least 2) for kept entries and summaries. */
    public static SegmentQuota of(long maxEntries) {
        return new SegmentQuota(maxEntries, Math.min(maxEntries - 1, Math.max(2, maxEntries / 10)));
    }

    /** True if a bounded entry may still be written when the segment holds {@code stored} entries. */
    boolean admitsBounded(long stored) {
        return stored < maxEntries - reserve;
    }
}

package org.hasm.persistence;

import java.security.MessageDigest;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checks one segment of one meter: every entry's hash, every link, the sequence, and the central
 * system's anchors. It names the first entry that is wrong and why. Anchors must already be verified
 * (signed by the meter's log key, checked by the central system before it stored them): they are what
 * catches a whole segment re-chained consistently by an attacker, and a truncated tail.
 */
public final class ChainVerifier {
    /** Why an entry (or the segment) fails. */
    public enum Reason {
        /** Its hash is not the hash of its contents: edited, or copied from another meter or segment. */
        HASH_MISMATCH,
        /** Its previous-hash is not the hash of the entry before it: an entry was deleted, inserted or reordered. */
        BROKEN_LINK,
        /** Its sequence number is not one more than the entry before it: deleted or reordered entries. */
        SEQUENCE_GAP,
        /** The central system holds an anchor for a sequence number beyond the last entry: the tail was cut off. */
        TRUNCATED,
        /** The chain's hash at an anchored sequence number differs from the anchor: the segment was rewritten. */
        ANCHOR_MISMATCH
    }

    /** The central system's record that entry {@code seq} of a segment had hash {@code head}. */
    public record Anchor(long seq, byte[] head) {
    }

    /** One problem: the first bad entry's sequence number (or the anchor's), and why. */
    public record Finding(long seq, Reason reason, String detail) {
    }

    /** The verdict for one segment; {@code entries} counts the entries kept, after any release. */
    public record Report(String meterId, String segment, long entries, long anchorsChecked, Optional<Finding> firstProblem) {
        public boolean intact() {
            return firstProblem.isEmpty();
        }
    }

    private ChainVerifier() {
    }

    /**
     * @param entries the segment's entries in the order the store returns them (by sequence number)
     * @param anchors verified anchors, any order
     */
    public static Report verify(String meterId, String segment, List<Segment.Entry> entries, List<Anchor> anchors) {
        byte[] previous = EntryHash.genesis();
        long expectedSeq = 1;
        // A segment that released acknowledged entries starts after them; one of its own "released" entries
        // must name exactly that point and the hash the first kept entry links to.
        long released = entries.isEmpty() ? 0 : entries.get(0).seq() - 1;
        boolean releaseAccountedFor = released == 0;
        if (released > 0) {
            previous = entries.get(0).previousHash();
            expectedSeq = released + 1;
        }
        for (Segment.Entry e : entries) {
            if (e.seq() != expectedSeq) {
                return problem(meterId, segment, entries, anchors, new Finding(e.seq(), Reason.SEQUENCE_GAP,
                        "expected entry " + expectedSeq + ", found " + e.seq()));
            }
            if (!MessageDigest.isEqual(e.previousHash(), previous)) {
                return problem(meterId, segment, entries, anchors, new Finding(e.seq(), Reason.BROKEN_LINK,
                        "its previous hash is not the hash of entry " + (e.seq() - 1)));
            }
            byte[] recomputed = EntryHash.of(meterId, segment, e.seq(), e.time(), e.kind(), e.key(), e.value(), e.previousHash());
            if (!MessageDigest.isEqual(recomputed, e.hash())) {
                return problem(meterId, segment, entries, anchors, new Finding(e.seq(), Reason.HASH_MISMATCH,
                        "its contents do not hash to its hash for " + meterId + "/" + segment));
            }
            if (!releaseAccountedFor && e.kind().equals(Segment.RELEASED) && Release.upTo(e.value()) == released
                    && Release.hash(e.value()).map(h -> MessageDigest.isEqual(h, entries.get(0).previousHash())).orElse(false)) {
                releaseAccountedFor = true;
            }
            previous = e.hash();
            expectedSeq++;
        }
        if (!releaseAccountedFor) {
            return problem(meterId, segment, entries, anchors, new Finding(released + 1, Reason.SEQUENCE_GAP,
                    "entries 1.." + released + " are missing and no released entry of the segment accounts for them"));
        }
        long last = expectedSeq - 1;
        long lastMatching = 0;
        for (Anchor a : anchors.stream().sorted(Comparator.comparingLong(Anchor::seq)).toList()) {
            if (a.seq() > last) {
                return problem(meterId, segment, entries, anchors, new Finding(a.seq(), Reason.TRUNCATED,
                        "the central system anchored entry " + a.seq() + " but the segment ends at entry " + last));
            }
            if (a.seq() <= released) {
                continue; // released after the central system acknowledged it; the release links to what is kept
            }
            if (!MessageDigest.isEqual(entries.get((int) (a.seq() - released - 1)).hash(), a.head())) {
                // A consistent rewrite verifies link by link; the anchors bound where it starts.
                return problem(meterId, segment, entries, anchors, new Finding(lastMatching + 1, Reason.ANCHOR_MISMATCH,
                        "entry " + a.seq() + " does not have the hash the central system anchored; the segment was"
                                + " rewritten from entry " + (lastMatching + 1) + " at the earliest"));
            }
            lastMatching = a.seq();
        }
        return new Report(meterId, segment, entries.size(), anchors.size(), Optional.empty());
    }

    private static Report problem(String meterId, String segment, List<Segment.Entry> entries, List<Anchor> anchors,
                                  Finding finding) {
        return new Report(meterId, segment, entries.size(), anchors.size(), Optional.of(finding));
    }
}

package org.hasm.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hasm.persistence.ChainVerifier.Anchor;
import org.hasm.persistence.ChainVerifier.Finding;
import org.hasm.persistence.ChainVerifier.Reason;
import org.hasm.persistence.ChainVerifier.Report;
import org.junit.jupiter.api.Test;

/** Every tampering class of the persistence issue, each found with the exact entry. */
class ChainVerifierTest {
    private static final String LOG = "off-switch-log";

    /** A genuine chain of {@code n} entries, as a Segment writes it. */
    static List<Segment.Entry> chain(String meterId, int n) {
        return rechain(meterId, new ArrayList<>(), n, 1);
    }

    /** What an attacker who knows the format does: recompute every hash from entry {@code from} on. */
    static List<Segment.Entry> rechain(String meterId, List<Segment.Entry> entries, int n, int from) {
        List<Segment.Entry> out = new ArrayList<>(entries.subList(0, Math.min(from - 1, entries.size())));
        byte[] previous = out.isEmpty() ? EntryHash.genesis() : out.get(out.size() - 1).hash();
        for (int seq = from; seq <= n; seq++) {
            Segment.Entry old = seq <= entries.size() ? entries.get(seq - 1) : null;
            long time = old == null ? 1000L * seq : old.time();
            String value = old == null ? "supply=ON #" + seq : old.value();
            byte[] hash = EntryHash.of(meterId, LOG, seq, time, "actuation", "", value, previous);
            out.add(new Segment.Entry(seq, time, "actuation", "", value, previous, hash));
            previous = hash;
        }
        return out;
    }

    private static Anchor anchorAt(List<Segment.Entry> entries, long seq) {
        return new Anchor(seq, entries.get((int) seq - 1).hash());
    }

    private static Finding firstProblem(List<Segment.Entry> entries, List<Anchor> anchors) {
        Report r = ChainVerifier.verify("m1", LOG, entries, anchors);
        assertTrue(r.firstProblem().isPresent(), "tampering not found");
        return r.firstProblem().get();
    }

    private static Segment.Entry withValue(Segment.Entry e, String value) {
        return new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), value, e.previousHash(), e.hash());
    }

    @Test
    void aGenuineChainWithItsAnchorsIsIntact() {
        List<Segment.Entry> entries = chain("m1", 20);
        Report r = ChainVerifier.verify("m1", LOG, entries, List.of(anchorAt(entries, 10), anchorAt(entries, 20)));
        assertTrue(r.intact(), r.toString());
        assertEquals(20, r.entries());
        assertEquals(2, r.anchorsChecked());
    }

    @Test
    void anEditedEntryIsNamed() {
        List<Segment.Entry> entries = chain("m1", 20);
        entries.set(6, withValue(entries.get(6), "supply=ON (edited)"));
        assertEquals(new Finding(7, Reason.HASH_MISMATCH, "its contents do not hash to its hash for m1/off-switch-log"),
                firstProblem(entries, List.of()));
    }

    @Test
    void aDeletedEntryIsNamed() {
        List<Segment.Entry> entries = chain("m1", 20);
        entries.remove(11); // entry 12
        Finding f = firstProblem(entries, List.of());
        assertEquals(Reason.SEQUENCE_GAP, f.reason());
        assertEquals(13, f.seq());
    }

    @Test
    void reorderedEntriesAreNamed() {
        List<Segment.Entry> entries = chain("m1", 20);
        Collections.swap(entries, 4, 5);
        assertEquals(Reason.SEQUENCE_GAP, firstProblem(entries, List.of()).reason());
        assertEquals(6, firstProblem(entries, List.of()).seq());

        // Renumbered too: the links give it away.
        List<Segment.Entry> renumbered = chain("m1", 20);
        Segment.Entry fifth = renumbered.get(4);
        Segment.Entry sixth = renumbered.get(5);
        renumbered.set(4, new Segment.Entry(5, sixth.time(), sixth.kind(), sixth.key(), sixth.value(), sixth.previousHash(), sixth.hash()));
        renumbered.set(5, new Segment.Entry(6, fifth.time(), fifth.kind(), fifth.key(), fifth.value(), fifth.previousHash(), fifth.hash()));
        assertEquals(new Finding(5, Reason.BROKEN_LINK, "its previous hash is not the hash of entry 4"), firstProblem(renumbered, List.of()));
    }

    @Test
    void aTruncatedTailIsCaughtByTheAnchors() {
        List<Segment.Entry> entries = chain("m1", 20);
        Anchor last = anchorAt(entries, 20);
        List<Segment.Entry> cut = entries.subList(0, 17);
        assertTrue(ChainVerifier.verify("m1", LOG, cut, List.of()).intact(), "without anchors a clean cut looks intact");
        Finding f = firstProblem(cut, List.of(anchorAt(entries, 10), last));
        assertEquals(Reason.TRUNCATED, f.reason());
        assertEquals(20, f.seq());
    }

    @Test
    void aWholeSegmentRechainedConsistentlyIsCaughtByTheAnchors() {
        List<Segment.Entry> entries = chain("m1", 20);
        List<Anchor> anchors = List.of(anchorAt(entries, 10), anchorAt(entries, 20));
        List<Segment.Entry> forged = new ArrayList<>(entries);
        forged.set(13, withValue(forged.get(13), "supply=ON (never switched off)"));
        forged = rechain("m1", forged, 20, 14);
        assertTrue(ChainVerifier.verify("m1", LOG, forged, List.of()).intact(), "the rewrite is consistent link by link");

        Finding f = firstProblem(forged, anchors);
        assertEquals(Reason.ANCHOR_MISMATCH, f.reason());
        assertEquals(11, f.seq(), "rewritten after the last matching anchor (entry 10)");
    }

    @Test
    void entriesSwappedBetweenTwoMetersAreNamed() {
        List<Segment.Entry> mine = chain("m1", 20);
        List<Segment.Entry> theirs = chain("m2", 20);
        List<Segment.Entry> swapped = new ArrayList<>(mine);
        swapped.set(8, theirs.get(8));
        Finding f = firstProblem(swapped, List.of());
        assertEquals(9, f.seq());
        assertTrue(f.reason() == Reason.BROKEN_LINK || f.reason() == Reason.HASH_MISMATCH, f.toString());
        // A whole chain of another meter does not verify as this meter's either.
        assertEquals(new Finding(1, Reason.HASH_MISMATCH, "its contents do not hash to its hash for m1/off-switch-log"),
                firstProblem(theirs, List.of()));
    }

    /** Entry {@code seq} of kind "released", linked after {@code previous}. */
    private static Segment.Entry released(long seq, byte[] previous, long upTo, byte[] hashOfUpTo) {
        String value = Release.released(upTo, hashOfUpTo);
        return new Segment.Entry(seq, 1000L * seq, Segment.RELEASED, "", value, previous,
                EntryHash.of("m1", LOG, seq, 1000L * seq, Segment.RELEASED, "", value, previous));
    }

    @Test
    void aSegmentThatReleasedItsFirstEntriesVerifiesFromItsReleaseEntry() {
        List<Segment.Entry> entries = chain("m1", 20);
        entries.add(released(21, entries.get(19).hash(), 10, entries.get(9).hash()));
        List<Segment.Entry> kept = new ArrayList<>(entries.subList(10, 21)); // entries 1..10 deleted by the release
        Report r = ChainVerifier.verify("m1", LOG, kept, List.of(anchorAt(entries, 5), anchorAt(entries, 20)));
        assertTrue(r.intact(), r.toString());
        assertEquals(11, r.entries());
    }

    @Test
    void entriesDeletedFromTheStartWithoutAReleaseAreNamed() {
        List<Segment.Entry> entries = chain("m1", 20);
        entries.add(released(21, entries.get(19).hash(), 10, entries.get(9).hash()));
        List<Segment.Entry> cut = new ArrayList<>(entries.subList(12, 21)); // two more than the release covers
        assertEquals(new Finding(13, Reason.SEQUENCE_GAP,
                "entries 1..12 are missing and no released entry of the segment accounts for them"), firstProblem(cut, List.of()));
    }
}

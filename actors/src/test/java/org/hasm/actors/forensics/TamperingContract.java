package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hasm.persistence.EntryHash;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalReader;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

/**
 * Every class of tampering of DESIGN 6 / paper III-E, injected straight into the database with SQL after
 * one small simulation, and found by {@link StoreVerification} with the exact entry and reason; with the
 * attacks on the newest entries and on the anchors of {@link TailTamperingContract} on the same simulation.
 * Each test tampers its own meter, so the tests need neither an order nor a fresh simulation.
 */
abstract class TamperingContract extends TailTamperingContract {
    /** Meters 1-9 are tampered by the tests here, 10 by the command-line test; 0 stays untouched. */
    static final int METERS = FIRST_CLAIMABLE;
    private static final Part LOG = Part.MetrologyLog;
    private static final String SEGMENT = Segment.journalName(LOG);

    static String meter(int i) {
        return String.format("m%05d", i);
    }

    @Test
    void aSimulationVerifiesWithEveryAnchorChecked() {
        assertTrue(pristine.intact(), () -> VerificationOutput.table(pristine, false));
        assertEquals(meters(), pristine.accounts().size());
        long anchorsChecked = pristine.segments().stream().mapToLong(StoreVerification.SegmentCheck::anchorsChecked).sum();
        assertEquals(pristine.anchors(), anchorsChecked, "every anchor the accounts hold was checked against a segment");
        assertTrue(pristine.anchors() >= METERS, "the meters anchored their logs: " + pristine.anchors());
        assertEquals(pristine.entries(), pristine.segments().stream().mapToLong(StoreVerification.SegmentCheck::entries).sum());
    }

    @Test
    void anEditedPayloadIsAHashMismatchAtThatEntry() throws Exception {
        String m = meter(1);
        Segment.Entry e = entries(m).get(39);
        write(m, e.seq(), new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), e.value() + "0", e.previousHash(), e.hash()));
        assertOnlyFailure(m, e.seq(), "HASH_MISMATCH");
    }

    @Test
    void aDeletedRowIsASequenceGapAtTheEntryAfterIt() throws Exception {
        String m = meter(2);
        long deleted = entries(m).get(49).seq();
        sql("DELETE FROM " + table() + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?", pid(m), deleted);
        StoreVerification.SegmentCheck c = assertOnlyFailure(m, deleted + 1, "SEQUENCE_GAP");
        assertTrue(c.detail().contains("expected entry " + deleted), c.detail());
    }

    @Test
    void reorderedRowsAreFoundAtTheFirstMisplacedRow() throws Exception {
        String m = meter(3);
        List<Segment.Entry> entries = entries(m);
        Segment.Entry a = entries.get(29);
        Segment.Entry b = entries.get(30);
        write(m, a.seq(), b);
        write(m, b.seq(), a);
        StoreVerification.SegmentCheck c = assertOnlyFailure(m, a.seq(), "ROW_MISMATCH");
        assertTrue(c.detail().contains("holds entry " + b.seq()), c.detail());
    }

    @Test
    void aTruncatedTailIsFoundAtTheFirstAnchorBeyondTheCut() throws Exception {
        String m = meter(4);
        List<Long> anchored = anchoredSeqs(m);
        long cut = anchored.get(anchored.size() - 1) - 5;
        long firstBeyond = anchored.stream().filter(s -> s > cut).findFirst().orElseThrow();
        sql("DELETE FROM " + table() + " WHERE \"persistence_id\" = ? AND \"sequence_number\" > ?", pid(m), cut);
        StoreVerification.SegmentCheck c = assertOnlyFailure(m, firstBeyond, "TRUNCATED");
        assertEquals(cut, c.entries());
    }

    @Test
    void aConsistentlyRechainedSegmentIsCaughtByTheAnchors() throws Exception {
        String m = meter(5);
        List<Long> anchored = anchoredSeqs(m);
        long from = anchored.get(0) + 3; // entries before it keep their hashes, and the first anchor still matches
        long lastMatching = anchored.stream().filter(s -> s < from).max(Long::compare).orElse(0L);
        byte[] previous = null;
        List<Segment.Entry> forged = new ArrayList<>();
        for (Segment.Entry e : entries(m)) {
            if (e.seq() < from) {
                previous = e.hash();
                continue;
            }
            String value = e.seq() == from ? e.value() + " (forged)" : e.value();
            byte[] hash = EntryHash.of(m, SEGMENT, e.seq(), e.time(), e.kind(), e.key(), value, previous);
            forged.add(new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), value, previous, hash));
            previous = hash;
        }
        write(m, forged);
        StoreVerification.SegmentCheck c = assertOnlyFailure(m, lastMatching + 1, "ANCHOR_MISMATCH");
        assertTrue(anchored.stream().anyMatch(s -> s >= from), "an anchor covers the rewrite");
        assertTrue(c.detail().contains("rewritten from entry " + (lastMatching + 1)), c.detail());
    }

    @Test
    void entriesSwappedBetweenTwoMetersBreakBothChainsThere() throws Exception {
        String m = meter(6);
        String other = meter(7);
        Segment.Entry mine = entries(m).get(19);
        Segment.Entry theirs = entries(other).get(19);
        write(m, mine.seq(), theirs);
        write(other, theirs.seq(), mine);
        assertOnlyFailure(m, mine.seq(), "BROKEN_LINK");
        assertOnlyFailure(other, theirs.seq(), "BROKEN_LINK");
    }

    @Test
    void anAnchorDeletedAtTheCentralSystemIsAGapInTheAccountsJournal() throws Exception {
        String m = meter(8);
        long event = sql.account(m).stream().filter(TamperingSql.AccountRow::isAnchor).mapToLong(TamperingSql.AccountRow::seq)
                .min().orElse(0);
        assertTrue(event > 0, "the account holds an anchor");
        sql("DELETE FROM " + sql.accounts() + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?",
                TamperingSql.accountPid(m), event);

        StoreVerification.Result r = verify(m);
        assertEquals(1, r.failingAccounts().size(), () -> VerificationOutput.table(r, true));
        StoreVerification.AccountCheck a = r.failingAccounts().get(0);
        assertEquals(m, a.meterId());
        assertEquals("CENTRAL_GAP", a.reason());
        assertEquals(event, a.firstBadEvent());
        assertTrue(r.failingSegments().isEmpty(), "the meter's own logs are intact: " + r.failingSegments());
    }

    @Test
    void aWholeAccountDeletedAtTheCentralSystemIsNamed() throws Exception {
        String m = meter(9);
        sql("DELETE FROM " + sql.accounts() + " WHERE \"persistence_id\" = ?", TamperingSql.accountPid(m));
        StoreVerification.Result r = verify(m);
        assertEquals(List.of(m), r.failingAccounts().stream().map(StoreVerification.AccountCheck::meterId).toList());
        assertEquals("CENTRAL_GAP", r.failingAccounts().get(0).reason());
    }

    // ---- helpers ----

    /** Verifies the meter and checks that its metrology log, and only it, fails at {@code seq} for {@code reason}. */
    StoreVerification.SegmentCheck assertOnlyFailure(String meter, long seq, String reason) {
        StoreVerification.Result r = verify(meter);
        assertEquals(1, r.failingSegments().size(), () -> VerificationOutput.table(r, true));
        StoreVerification.SegmentCheck c = r.failingSegments().get(0);
        assertEquals(SEGMENT, c.segment());
        assertEquals(reason, c.reason(), c.detail());
        assertEquals(seq, c.firstBadEntry(), c.detail());
        assertTrue(r.failingAccounts().isEmpty(), () -> r.failingAccounts().toString());
        return c;
    }

    String table() {
        return sql.table(LOG);
    }

    static String pid(String meter) {
        return TamperingSql.pid(LOG, meter);
    }

    List<Segment.Entry> entries(String meter) throws SQLException {
        List<Segment.Entry> entries = sql.entries(LOG, meter);
        assertTrue(entries.size() > 60, "a day of readings: " + entries.size());
        return entries;
    }

    /** The metrology log's anchored sequence numbers, as the central system recorded them, ascending. */
    List<Long> anchoredSeqs(String meter) throws SQLException {
        CentralAnchors central;
        try (JournalReader reader = JournalReader.open(store().readOnly())) {
            central = CentralAnchors.read(reader, Set.of(meter), keys, () -> { });
        }
        List<Long> seqs = central.anchors(meter, SEGMENT).stream().map(CentralAnchors.Recorded::seq).sorted().toList();
        assertTrue(seqs.size() >= 2, "the log was anchored more than once: " + seqs);
        return seqs;
    }

    /** Replaces the payload of one metrology-log row, as an attacker with the database's credentials can. */
    void write(String meter, long seq, Segment.Entry e) throws Exception {
        sql.writeAt(LOG, meter, seq, e);
    }

    /** Replaces the rows of these entries, each at its own sequence number. */
    void write(String meter, List<Segment.Entry> entries) throws Exception {
        sql.write(LOG, meter, entries);
    }

    int sql(String statement, Object... args) throws SQLException {
        return sql.sql(statement, args);
    }
}

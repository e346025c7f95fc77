package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.meter.CreditBalance;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.sim.Simulations;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.EntryHash;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The attacks on a run that stopped cleanly: the newest entries of a segment cut off, anchors edited, added
 * or re-signed at the central system, and both sides rewritten consistently without the meter's key. Each is
 * found with its reason and first bad entry (or event). Each test tampers its own meter, claimed from those
 * {@link TamperingContract}'s tests (which run on the same simulation) leave alone.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TailTamperingContract {
    /** A scenario whose meters have entries in every segment: switch-offs of meters 0-13, top-ups of 14-23. */
    private static final String SCENARIO = "/tail-tampering.conf";
    /** Meters below this are {@link TamperingContract}'s. */
    static final int FIRST_CLAIMABLE = 11;

    abstract JournalStore store();

    StoreVerification.Result pristine;
    LogKeyRegister keys;
    TamperingSql sql;
    /** Not the meters' key: what an attacker without it signs with. */
    private final SigningKeys attackersKey = SigningKeys.generate(new SecureRandom());

    @BeforeAll
    void simulate() throws Exception {
        Scenario scenario = Scenario.load(scenarioFile().toString());
        meters = scenario.meters();
        Simulations.run(store(), scenario, 1);
        keys = Simulations.keys(scenario);
        sql = new TamperingSql(store());
        pristine = StoreVerification.verify(store().readOnly(), keys);
    }

    /** The scenario as a file: the resource may be inside the actors' test-jar (the app's tests). */
    private static java.nio.file.Path scenarioFile() throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("tail-tampering", ".conf");
        file.toFile().deleteOnExit();
        try (java.io.InputStream in = TailTamperingContract.class.getResourceAsStream(SCENARIO)) {
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    private int meters;

    int meters() {
        return meters;
    }
    private final Set<String> claimed = new java.util.HashSet<>();

    /**
     * The last meter (the switched-off ones come first, the topped-up ones last) no other test has tampered
     * with whose {@code part} passes {@code test}.
     */
    String claim(Part part, java.util.function.Predicate<List<Segment.Entry>> test) throws Exception {
        for (int i = meters - 1; i >= FIRST_CLAIMABLE; i--) {
            String m = String.format("m%05d", i);
            if (!claimed.contains(m) && test.test(sql.entries(part, m))) {
                claimed.add(m);
                return m;
            }
        }
        throw new AssertionError("no meter left with such a " + part);
    }

    String claim(Part part) throws Exception {
        return claim(part, entries -> !entries.isEmpty());
    }

    @Test
    void aCleanRunLeavesEverySegmentsNewestEntryAnchored() {
        assertTrue(pristine.intact(), () -> VerificationOutput.table(pristine, false));
        assertTrue(pristine.endedCleanly(), () -> VerificationOutput.table(pristine, false));
        assertEquals(List.of(), pristine.notProvable());
        assertTrue(VerificationOutput.ending(pristine).contains("the run stopped cleanly"), VerificationOutput.ending(pristine));
    }

    static Stream<Part> segments() {
        return JournalStore.segments().stream();
    }

    @ParameterizedTest
    @MethodSource("segments")
    void theNewestEntriesCutFromAnySegmentAreTruncation(Part part) throws Exception {
        String m = claim(part);
        List<Segment.Entry> entries = sql.entries(part, m);
        long last = entries.get(entries.size() - 1).seq();
        long cut = Math.max(0, last - 2);
        assertTrue(sql.cutAfter(part, m, cut) > 0);
        assertOnlySegmentFails(m, part, firstAnchoredAfter(m, part, cut), "TRUNCATED");
    }

    @Test
    void theLastOffSwitchLogEntryDeletedIsTruncationAtThatEntry() throws Exception {
        String m = claim(Part.OffSwitchLog);
        List<Segment.Entry> entries = sql.entries(Part.OffSwitchLog, m);
        long last = entries.get(entries.size() - 1).seq();
        assertEquals(1, sql.cutAfter(Part.OffSwitchLog, m, last - 1));
        assertOnlySegmentFails(m, Part.OffSwitchLog, last, "TRUNCATED");
    }

    @Test
    void theLastTopUpDeletedFromTheCreditStoreIsTruncation() throws Exception {
        String m = claim(Part.CreditStore, entries -> lastCreditIncrease(entries) > 0);
        long topUp = lastCreditIncrease(sql.entries(Part.CreditStore, m));
        sql.cutAfter(Part.CreditStore, m, topUp - 1);
        assertOnlySegmentFails(m, Part.CreditStore, firstAnchoredAfter(m, Part.CreditStore, topUp - 1), "TRUNCATED");
    }

    @Test
    void anAnchorEditedAtTheCentralSystemIsNamed() throws Exception {
        String m = claim(Part.MetrologyLog);
        TamperingSql.AccountRow row = sql.anchors(m, Part.MetrologyLog).get(0);
        MeterAccount.AnchorRecorded a = row.anchor();
        byte[] head = a.head();
        head[0] ^= 1;
        sql.rewriteEvent(m, row.seq(), new MeterAccount.AnchorRecorded(a.channel(), a.frame(), a.segment(), a.seq(), a.time(),
                head, a.signed()));
        assertOnlyAccountFails(m, row.seq(), "EDITED_ANCHOR");
    }

    @Test
    void anAnchorAddedAtTheCentralSystemIsForged() throws Exception {
        String m = claim(Part.MetrologyLog);
        List<Segment.Entry> entries = sql.entries(Part.MetrologyLog, m);
        Segment.Entry e = entries.get(entries.size() - 1);
        TamperingSql.AccountRow like = sql.anchors(m, Part.MetrologyLog).get(0);
        MeterAccount.AnchorRecorded a = like.anchor();
        SignedLogAnchor forged = SignedLogAnchor.sign(attackersKey, m, a.segment(), e.seq(), e.time(), e.hash());
        sql.appendEvent(m, like.seq(), new MeterAccount.AnchorRecorded(a.channel(), a.frame() + 1_000, a.segment(), e.seq(),
                e.time(), e.hash(), forged.encode()));
        long added = sql.account(m).get(sql.account(m).size() - 1).seq();
        StoreVerification.AccountCheck c = assertOnlyAccountFails(m, added, "FORGED_ANCHOR");
        assertTrue(c.detail().contains("does not verify under the meter's provisioned"), c.detail());
    }

    @Test
    void anAnchorReSignedWithAnotherKeyIsForged() throws Exception {
        String m = claim(Part.OffSwitchLog);
        TamperingSql.AccountRow row = sql.anchors(m, Part.OffSwitchLog).get(0);
        MeterAccount.AnchorRecorded a = row.anchor();
        byte[] resigned = SignedLogAnchor.sign(attackersKey, m, a.segment(), a.seq(), a.time(), a.head()).encode();
        sql.rewriteEvent(m, row.seq(), new MeterAccount.AnchorRecorded(a.channel(), a.frame(), a.segment(), a.seq(), a.time(),
                a.head(), resigned));
        assertOnlyAccountFails(m, row.seq(), "FORGED_ANCHOR");
    }

    @Test
    void readingsCutFromTheMeterWithTheAnchorsAfterThemAreMissingEntries() throws Exception {
        // as if the run had crashed before its closing anchors, and someone then cut the unanchored tail
        String m = claim(Part.MetrologyLog);
        List<TamperingSql.AccountRow> account = sql.account(m);
        long lastReading = account.stream().filter(r -> r.manifest().equals(MeterAccount.ReadingReceived.class.getName()))
                .mapToLong(TamperingSql.AccountRow::seq).max().orElseThrow();
        sql.deleteEventsAfter(m, lastReading);
        long anchored = sql.anchors(m, Part.MetrologyLog).stream().mapToLong(r -> r.anchor().seq()).max().orElse(0);
        assertTrue(sql.cutAfter(Part.MetrologyLog, m, anchored) > 0, "a reading after the last anchor kept");
        StoreVerification.SegmentCheck c = assertOnlySegmentFails(m, Part.MetrologyLog, anchored + 1, "MISSING_ENTRY");
        assertTrue(c.detail().contains("the central system received the reading of"), c.detail());
    }

    @Test
    void bothSidesRewrittenConsistentlyWithoutTheMetersKeyAreForged() throws Exception {
        String m = claim(Part.MetrologyLog);
        List<Segment.Entry> entries = sql.entries(Part.MetrologyLog, m);
        List<TamperingSql.AccountRow> anchors = sql.anchors(m, Part.MetrologyLog);
        long from = anchors.get(0).anchor().seq() + 1; // the first anchor stays true, every later one is forged
        byte[] previous = null;
        List<Segment.Entry> forged = new ArrayList<>();
        String segment = Segment.journalName(Part.MetrologyLog);
        for (Segment.Entry e : entries) {
            if (e.seq() < from) {
                previous = e.hash();
                continue;
            }
            String value = e.seq() == from ? e.value().replaceFirst("import=\\d+", "import=0") : e.value();
            byte[] hash = EntryHash.of(m, segment, e.seq(), e.time(), e.kind(), e.key(), value, previous);
            forged.add(new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), value, previous, hash));
            previous = hash;
        }
        sql.write(Part.MetrologyLog, m, forged);
        long firstForged = -1;
        for (TamperingSql.AccountRow row : anchors.subList(1, anchors.size())) {
            MeterAccount.AnchorRecorded a = row.anchor();
            byte[] head = forged.stream().filter(e -> e.seq() == a.seq()).findFirst().orElseThrow().hash();
            byte[] signed = SignedLogAnchor.sign(attackersKey, m, segment, a.seq(), a.time(), head).encode();
            sql.rewriteEvent(m, row.seq(), new MeterAccount.AnchorRecorded(a.channel(), a.frame(), segment, a.seq(), a.time(),
                    head, signed));
            firstForged = firstForged < 0 ? row.seq() : firstForged;
        }
        assertTrue(firstForged > 0, "a later anchor to forge");
        StoreVerification.Result r = verify(m);
        assertEquals(1, r.failingAccounts().size(), () -> VerificationOutput.table(r, true));
        assertEquals("FORGED_ANCHOR", r.failingAccounts().get(0).reason());
        assertEquals(firstForged, r.failingAccounts().get(0).firstBadEvent());
    }

    // ---- helpers ----

    StoreVerification.Result verify(String meter) {
        return StoreVerification.verify(store().readOnly(), keys, Set.of(meter), MeterConfig.DEFAULT.anchorEveryEntries(),
                StoreVerification.Progress.NONE);
    }

    StoreVerification.SegmentCheck assertOnlySegmentFails(String meter, Part part, long seq, String reason) {
        StoreVerification.Result r = verify(meter);
        assertEquals(1, r.failingSegments().size(), () -> VerificationOutput.table(r, true));
        StoreVerification.SegmentCheck c = r.failingSegments().get(0);
        assertEquals(Segment.journalName(part), c.segment());
        assertEquals(reason, c.reason(), c.detail());
        assertEquals(seq, c.firstBadEntry(), c.detail());
        assertTrue(r.failingAccounts().isEmpty(), () -> r.failingAccounts().toString());
        return c;
    }

    StoreVerification.AccountCheck assertOnlyAccountFails(String meter, long event, String reason) {
        StoreVerification.Result r = verify(meter);
        assertEquals(1, r.failingAccounts().size(), () -> VerificationOutput.table(r, true));
        StoreVerification.AccountCheck c = r.failingAccounts().get(0);
        assertEquals(reason, c.reason(), c.detail());
        assertEquals(event, c.firstBadEvent(), c.detail());
        assertTrue(r.failingSegments().isEmpty(), () -> r.failingSegments().toString());
        return c;
    }

    /** The smallest sequence number beyond {@code cut} that the account anchored for the segment. */
    long firstAnchoredAfter(String meter, Part part, long cut) throws Exception {
        long first = Long.MAX_VALUE;
        for (TamperingSql.AccountRow row : sql.anchors(meter, part)) {
            long seq = row.anchor().seq();
            if (seq > cut) {
                first = Math.min(first, seq);
            }
        }
        assertTrue(first < Long.MAX_VALUE, "an anchor beyond entry " + cut + " of " + part + " of " + meter);
        return first;
    }

    /** The sequence number of the CreditStore's last write that raised the credit (a top-up), or 0. */
    static long lastCreditIncrease(List<Segment.Entry> entries) {
        long credit = 0;
        long last = 0;
        for (Segment.Entry e : entries) {
            if (CreditBalance.CREDIT.equals(e.key())) {
                long value = Long.parseLong(e.value());
                if (value > credit) {
                    last = e.seq();
                }
                credit = value;
            }
        }
        return last;
    }
}

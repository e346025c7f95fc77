package org.hasm.actors.forensics;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.DatabaseErrors;
import org.hasm.persistence.jdbc.JournalReader;
import org.hasm.persistence.jdbc.JournalRows;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;
import org.hasm.policy.Part;

/**
 * {@code hasm replay verify} without the command line: every segment of every meter in a store, checked
 * against the anchors the central system holds for it, and the central system's accounts checked for
 * deleted events (docs/log-chain.md, "What replay verify checks").
 *
 * <p>Rows are read with plain JDBC ({@link JournalReader}), one segment table at a time in primary-key order,
 * so only one segment of one meter is in memory at a time however large the store is.
 */
public final class StoreVerification {
    /**
     * How far beyond {@code anchorEveryEntries} a segment's head may move before its owner anchors: the
     * owner sees only its own confirmations, and the segment's own notes (quota-reached, quota-suppressed,
     * released) can add up to three entries between two of them.
     */
    static final int ANCHOR_SLACK = 3;

    /**
     * One segment of one meter; {@code reason} is null when it verified. {@code newestTime} is the time of its
     * newest entry (null for none); {@code unanchored} counts the entries after its last anchor, from
     * {@code unanchoredFrom} to {@code unanchoredTo}: the chain proves them in order, but nothing outside the
     * meter proves they are all there (a run that stopped cleanly anchors every head, a crashed one cannot).
     */
    public record SegmentCheck(String meterId, String segment, long entries, long anchorsChecked, Long firstBadEntry,
                               String reason, String detail, Long newestTime, long unanchored, Long unanchoredFrom,
                               Long unanchoredTo) {
        public boolean intact() {
            return reason == null;
        }

        /** Intact, with entries after the last anchor. */
        public boolean notProvable() {
            return intact() && unanchored > 0;
        }

        SegmentCheck failing(Problem p) {
            return new SegmentCheck(meterId, segment, entries, anchorsChecked, p.seq(), p.reason(), p.detail(), newestTime,
                    unanchored, unanchoredFrom, unanchoredTo);
        }
    }

    /** One meter's account at the central system; {@code firstBadEvent} is a sequence number in its journal. */
    public record AccountCheck(String meterId, long events, long anchors, Long firstBadEvent, String reason, String detail) {
        public boolean intact() {
            return reason == null;
        }
    }

    /** Everything verify found; {@code entries} counts the segment rows read. */
    public record Result(String store, long entries, long anchors, List<SegmentCheck> segments, List<AccountCheck> accounts,
                         long millis) {
        public boolean intact() {
            return segments.stream().allMatch(SegmentCheck::intact) && accounts.stream().allMatch(AccountCheck::intact);
        }

        /** The intact segments with entries after their last anchor: what a run that did not stop cleanly leaves. */
        public List<SegmentCheck> notProvable() {
            return segments.stream().filter(SegmentCheck::notProvable).toList();
        }

        /** Whether every segment's newest entry is anchored: the run stopped cleanly (or nothing can tell). */
        public boolean endedCleanly() {
            return segments.stream().noneMatch(s -> s.unanchored() > 0);
        }

        public List<SegmentCheck> failingSegments() {
            return segments.stream().filter(s -> !s.intact()).toList();
        }

        public List<AccountCheck> failingAccounts() {
            return accounts.stream().filter(a -> !a.intact()).toList();
        }
    }

    /** A problem verify names: the first bad entry (or account event), why, and in words. */
    public record Problem(long seq, String reason, String detail) {
    }

    /** Told the number of rows to read once, then after every row read. */
    public interface Progress {
        void total(long rows);

        void row();

        Progress NONE = new Progress() {
            @Override
            public void total(long rows) {
            }

            @Override
            public void row() {
            }
        };
    }

    private StoreVerification() {
    }

    /**
     * One thread per core but the reader's; when they are all busy and a few segments wait, the reading
     * thread verifies the next one itself, so at most a few segments' rows wait in memory.
     */
    private static ThreadPoolExecutor verifiers() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new ThreadPoolExecutor(threads, threads, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(4),
                r -> {
                    Thread t = new Thread(r, "hasm-verify");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Verifies every meter in the store, its anchors' signatures under {@code keys}. */
    public static Result verify(JournalStore store, LogKeyRegister keys) {
        return verify(store, keys, Set.of(), MeterConfig.DEFAULT.anchorEveryEntries(), Progress.NONE);
    }

    /**
     * @param keys        the meters' provisioned public log keys: an anchor whose signature does not verify
     *                    under them is named and not trusted
     * @param meters      the meters to verify; empty for all of them
     * @param anchorEvery the meters' {@code anchorEveryEntries}: more entries than this without an anchor
     *                    means an anchor is missing at the central system
     */
    public static Result verify(JournalStore store, LogKeyRegister keys, Set<String> meters, int anchorEvery, Progress progress) {
        return verify(store, store, keys, meters, anchorEvery, progress);
    }

    /**
     * As {@link #verify(JournalStore, LogKeyRegister, Set, int, Progress)}, with the meters' segments in
     * {@code store} and the central system's journals in {@code centralStore}: a simulation split over
     * processes on the embedded database leaves them in two ({@code hasm simulate --processes 3}, docs/cluster.md).
     */
    public static Result verify(JournalStore store, JournalStore centralStore, LogKeyRegister keys, Set<String> meters,
                                int anchorEvery, Progress progress) {
        long started = System.nanoTime();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        ThreadPoolExecutor verifiers = verifiers();
        boolean apart = centralStore != store;
        // PostgreSQL streams with a cursor only with a fetch size and no auto-commit: each reader is one transaction
        try (JournalReader segments = JournalReader.open(store); JournalReader separate = apart ? JournalReader.open(centralStore) : null) {
            JournalReader centralReader = apart ? separate : segments;
            progress.total(centralReader.countCentralRows(JournalStore.CENTRAL_ACCOUNTS, meters, CentralAnchors.PERSISTENCE_ID_PREFIX)
                    + countSegmentRows(segments, meters));
            CentralAnchors central = CentralAnchors.read(centralReader, meters, keys, progress::row, verifiers);
            Queue<SegmentCheck> checks = new ConcurrentLinkedQueue<>();
            Set<String> metersWithEntries = new HashSet<>();
            long entries = 0;
            Consumer<ChainReader> verify = chain -> verifiers.execute(() -> {
                try {
                    checks.add(chain.check(central, anchorEvery));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
            for (Part part : JournalStore.segments()) {
                entries += verifySegmentTable(segments, part, meters, central, progress, verify, metersWithEntries);
            }
            verifiers.shutdown();
            if (!verifiers.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("the chains were not verified within an hour of the last row read");
            }
            if (failure.get() != null) {
                throw failure.get();
            }
            List<AccountCheck> accounts = new ArrayList<>(central.accounts);
            Set<String> withAccount = new HashSet<>();
            accounts.forEach(a -> withAccount.add(a.meterId()));
            for (String meter : new TreeSet<>(metersWithEntries)) {
                if (!withAccount.contains(meter)) {
                    accounts.add(new AccountCheck(meter, 0, 0, 1L, "CENTRAL_GAP",
                            "the central system holds no account for a meter that has logs: its journal was deleted"));
                } else if (keys.keys(meter).isEmpty()) {
                    accounts.add(new AccountCheck(meter, 0, 0, null, "UNKNOWN_METER",
                            "the key register has no keys for a meter that has logs: nothing it anchored can be checked"));
                }
            }
            accounts.sort(Comparator.comparing(AccountCheck::meterId));
            List<SegmentCheck> sorted = new ArrayList<>(checks);
            sorted.sort(Comparator.comparing(SegmentCheck::meterId).thenComparing(SegmentCheck::segment));
            long anchors = accounts.stream().mapToLong(AccountCheck::anchors).sum();
            return new Result(store.describe() + (apart ? ", the central system's journals in " + centralStore.describe() : ""),
                    entries, anchors, List.copyOf(sorted), List.copyOf(accounts),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            throw DatabaseErrors.explain(store, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while verifying", e);
        } finally {
            verifiers.shutdownNow();
        }
    }

    /** The requested meters of which the store holds neither a log nor an account. */
    public static Set<String> unknownMeters(JournalStore store, Set<String> meters) {
        Set<String> unknown = new TreeSet<>(meters);
        if (meters.isEmpty()) {
            return unknown;
        }
        try (JournalReader reader = JournalReader.open(store)) {
            unknown = reader.withoutCentralRows(JournalStore.CENTRAL_ACCOUNTS, CentralAnchors.PERSISTENCE_ID_PREFIX, unknown);
            for (Part part : JournalStore.segments()) {
                unknown = reader.withoutSegmentRows(part, unknown);
            }
        } catch (SQLException e) {
            throw DatabaseErrors.explain(store, e);
        }
        return unknown;
    }

    private static long countSegmentRows(JournalReader reader, Set<String> meters) throws SQLException {
        long rows = 0;
        for (Part part : JournalStore.segments()) {
            rows += reader.countSegmentRows(part, meters);
        }
        return rows;
    }

    /** Streams one segment's table in primary-key order and checks each meter's chain as soon as it is complete. */
    private static long verifySegmentTable(JournalReader reader, Part part, Set<String> meters, CentralAnchors central,
                                           Progress progress, Consumer<ChainReader> verify, Set<String> metersWithEntries)
            throws SQLException {
        String segment = Segment.journalName(part);
        String prefix = JournalReader.segmentPrefix(part);
        Set<String> seen = new HashSet<>();
        long[] rows = {0};
        ChainReader[] chain = {null};
        reader.segmentRows(part, meters, (pid, seq, payload) -> {
            if (chain[0] == null || !chain[0].pid.equals(pid)) {
                if (chain[0] != null) {
                    verify.accept(chain[0]);
                }
                chain[0] = new ChainReader(pid, segment, prefix);
                seen.add(chain[0].meterId);
            }
            chain[0].row(seq, payload);
            rows[0]++;
            progress.row();
        });
        if (chain[0] != null) {
            verify.accept(chain[0]);
        }
        metersWithEntries.addAll(seen);
        // A segment anchored at the central system, or holding what the central system received, but without a
        // single row was deleted whole.
        Set<String> expected = new TreeSet<>();
        central.anchors.forEach((meter, bySegment) -> {
            if (bySegment.containsKey(segment)) {
                expected.add(meter);
            }
        });
        central.evidence.forEach((meter, evidence) -> {
            if (evidence.expects(segment)) {
                expected.add(meter);
            }
        });
        for (String meter : expected) {
            if (!seen.contains(meter)) {
                verify.accept(new ChainReader(prefix + meter, segment, prefix));
            }
        }
        return rows[0];
    }

    /**
     * One segment of one meter: the reading thread collects its rows, a verifier decodes and checks them
     * (decoding and hashing cost more than reading, so they run beside it).
     */
    private static final class ChainReader {
        final String pid;
        final String meterId;
        final String segment;
        private long[] seqs = new long[16];
        private final List<byte[]> payloads = new ArrayList<>();
        private final List<Segment.Entry> entries = new ArrayList<>();
        private Problem rowProblem;

        ChainReader(String pid, String segment, String prefix) {
            this.pid = pid;
            this.segment = segment;
            this.meterId = pid.startsWith(prefix) ? pid.substring(prefix.length()) : pid;
        }

        void row(long seq, byte[] payload) {
            if (payloads.size() == seqs.length) {
                seqs = Arrays.copyOf(seqs, seqs.length * 2);
            }
            seqs[payloads.size()] = seq;
            payloads.add(payload);
        }

        private void decode() {
            for (int i = 0; i < payloads.size(); i++) {
                long seq = seqs[i];
                Segment.Entry e;
                try {
                    e = JournalRows.entry(pid, payloads.get(i));
                } catch (StorageException | IllegalArgumentException ex) {
                    rowProblem = new Problem(seq, "UNREADABLE", "row " + seq + " is not a segment entry: " + firstLine(ex));
                    return; // nothing after it can be checked
                }
                if (e.seq() != seq && rowProblem == null) {
                    // The chain checks the entries' own numbers; the rows' numbers are what Pekko replays by.
                    rowProblem = new Problem(seq, "ROW_MISMATCH", "row " + seq + " holds entry " + e.seq()
                            + ": rows renumbered or their contents moved");
                }
                entries.add(e);
            }
            payloads.clear();
        }

        SegmentCheck check(CentralAnchors central, int anchorEvery) {
            decode();
            List<CentralAnchors.Recorded> recorded = central.anchors(meterId, segment);
            List<ChainVerifier.Anchor> anchors = recorded.stream().map(a -> new ChainVerifier.Anchor(a.seq(), a.head())).toList();
            ChainVerifier.Report report = ChainVerifier.verify(meterId, segment, entries, anchors);
            SegmentCheck ok = reach(recorded);
            if (rowProblem != null && (report.intact() || rowProblem.seq() <= report.firstProblem().get().seq())) {
                return ok.failing(rowProblem);
            }
            if (!report.intact()) {
                ChainVerifier.Finding f = report.firstProblem().get();
                return ok.failing(new Problem(f.seq(), f.reason().name(), f.detail()));
            }
            long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
            Optional<Problem> missing = central.evidence(meterId).missingFrom(segment, entries)
                    .or(() -> missingAnchor(recorded, last, anchorEvery, (after, before) -> central.refusedBetween(meterId, after, before)));
            return missing.map(ok::failing).orElse(ok);
        }

        /** The segment as far as it goes: its newest entry, and the entries after its last anchor. */
        private SegmentCheck reach(List<CentralAnchors.Recorded> recorded) {
            long anchoredUpTo = recorded.stream().mapToLong(CentralAnchors.Recorded::seq).max().orElse(0);
            List<Segment.Entry> tail = entries.stream().filter(e -> e.seq() > anchoredUpTo).toList();
            Long newest = entries.isEmpty() ? null : entries.get(entries.size() - 1).time();
            return new SegmentCheck(meterId, segment, entries.size(), recorded.size(), null, null, null, newest, tail.size(),
                    tail.isEmpty() ? null : tail.get(0).time(), tail.isEmpty() ? null : tail.get(tail.size() - 1).time());
        }
    }

    /**
     * The meter anchors a segment at least every {@code anchorEvery} (+{@value #ANCHOR_SLACK}) entries, so a
     * longer stretch without one means an anchor is missing at the central system: deleted there (with the
     * account's later events renumbered, or the hole would show), or lost on the way. A refused frame in
     * the account between the two anchors may have been the lost one; then nothing can be said.
     *
     * @param recorded       the segment's anchors in the order the account recorded them
     * @param lastEntry      the segment's last entry
     * @param refusedBetween whether the account refused a frame between two of its events (exclusive)
     */
    static Optional<Problem> missingAnchor(List<CentralAnchors.Recorded> recorded, long lastEntry, int anchorEvery,
                                                         BiPredicate<Long, Long> refusedBetween) {
        long previousSeq = 0;
        long previousEvent = 0;
        List<CentralAnchors.Recorded> bySeq = new ArrayList<>(recorded);
        bySeq.sort(Comparator.comparingLong(CentralAnchors.Recorded::seq));
        for (CentralAnchors.Recorded a : bySeq) {
            if (a.seq() - previousSeq > anchorEvery + ANCHOR_SLACK && !refusedBetween.test(previousEvent, a.event())) {
                return Optional.of(new Problem(previousSeq + 1, "MISSING_ANCHOR", "no anchor between entries " + previousSeq
                        + " and " + a.seq() + " although the meter anchors at least every " + anchorEvery
                        + " entries: an anchor was deleted at the central system (or lost on the way)"));
            }
            previousSeq = a.seq();
            previousEvent = a.event();
        }
        if (lastEntry - previousSeq > anchorEvery + ANCHOR_SLACK && !refusedBetween.test(previousEvent, Long.MAX_VALUE)) {
            return Optional.of(new Problem(previousSeq + 1, "MISSING_ANCHOR", "entries " + (previousSeq + 1) + ".." + lastEntry
                    + " have no anchor although the meter anchors at least every " + anchorEvery
                    + " entries: an anchor was deleted at the central system (or lost on the way)"));
        }
        return Optional.empty();
    }

    static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

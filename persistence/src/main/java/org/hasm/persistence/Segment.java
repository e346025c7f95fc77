package org.hasm.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.Props;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.RecoveryCompleted;
import org.apache.pekko.persistence.SaveSnapshotFailure;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SnapshotOffer;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.RecordAcknowledgement;
import org.hasm.persistence.SegmentMessages.Retention;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages.StoreCredit;
import org.hasm.persistence.SegmentMessages.StoreParameters;
import org.hasm.persistence.SegmentMessages.StoreTariffs;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One memory segment of one meter, event sourced with persistence id {@code <segment>|<meterId>} on
 * its own journal plugin {@code hasm.journal.<segment>}, so one segment's volume can never reach
 * another's storage. Its {@link SegmentPort} hands it one batch at a time and the whole batch is one
 * journal write; the segment then confirms each entry to its owner, in order.
 *
 * <p>A classic persistent actor: typed event sourcing cost several messages, effects and a logging MDC
 * update per command and journal reply, which made the JVM's work per event about three times the
 * database's (BENCHMARKS.md, issue 5). A failed write stops it, as it stops any persistent actor; the
 * port starts the next incarnation with backoff and sends the batch again.
 */
public final class Segment extends AbstractPersistentActor {

    /**
     * One journal entry, hash-chained to the one before it ({@link EntryHash}). {@code key} is set for
     * value segments, empty for logs.
     */
    public record Entry(long seq, long time, String kind, String key, String value, byte[] previousHash, byte[] hash)
            implements JournalSerializable {
    }

    /** Commands the port collected while the previous batch was being written; {@code written} hears when this one is. */
    public record Batch(List<SegmentCommand> commands, Consumer<BatchWritten> written) {
    }

    /**
     * To the port: the journal child has (re)started and recovered up to {@code entries}. After a failed
     * write the child restarts with backoff, and the batch that failed must be sent again.
     */
    public record JournalReady(long entries, int recovery) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /**
     * To the port: entries up to {@code upToSeq} were released (a {@code released} entry is durable), so
     * the port may delete them from the journal.
     */
    public record ReleaseUpTo(long upToSeq) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /** To the port, on its own kernel channel: the batch is durable and the next one may go. */
    public record BatchWritten(int commands) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /**
     * Entries so far, the chain head and, for value segments, the latest value per key. Small whatever
     * the segment's length, so it is also the snapshot that keeps recovery time flat as logs grow.
     * Immutable: a batch's state is worked out before its write and kept only once the write is durable,
     * so a failed write leaves nothing behind for the retry.
     */
    public record State(long entries, byte[] head, Map<String, String> values, long acknowledged, long released,
                        Map<Long, byte[]> boundaries) implements JournalSerializable {
        /**
         * @param acknowledged MetrologyLog: the central system acknowledged every reading up to this entry
         * @param released     entries up to this one were released (deleted from the journal) to keep the quota
         * @param boundaries   the hash of each snapshot-boundary entry after {@code released}: where a release may end
         */
        public State {
            values = values == null ? Map.of() : Map.copyOf(values);
            boundaries = boundaries == null ? Map.of() : Map.copyOf(boundaries);
        }

        static State empty() {
            return new State(0, EntryHash.genesis(), Map.of(), 0, 0, Map.of());
        }

        /** Entries in the journal now. */
        long stored() {
            return entries - released;
        }

        State after(Entry e) {
            Map<String, String> nextValues = values;
            if (!e.key().isEmpty()) {
                nextValues = new HashMap<>(values);
                nextValues.put(e.key(), e.value());
            }
            long nextAcknowledged = e.kind().equals(ACKNOWLEDGED) ? Release.upTo(e.value()) : acknowledged;
            long nextReleased = e.kind().equals(RELEASED) ? Release.upTo(e.value()) : released;
            Map<Long, byte[]> nextBoundaries = boundaries;
            if (e.seq() % SNAPSHOT_EVERY == 0 || nextReleased != released) {
                nextBoundaries = new HashMap<>(boundaries);
                if (e.seq() % SNAPSHOT_EVERY == 0) {
                    nextBoundaries.put(e.seq(), e.hash());
                }
                nextBoundaries.keySet().removeIf(b -> b <= nextReleased);
            }
            return new State(e.seq(), e.hash(), nextValues, nextAcknowledged, nextReleased, nextBoundaries);
        }
    }

    /** Kinds of the segment's own entries; owners cannot write them. */
    public static final String QUOTA_REACHED = "quota-reached";
    public static final String QUOTA_SUPPRESSED = "quota-suppressed";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RELEASED = "released";
    private static final java.util.Set<String> OWN_KINDS = java.util.Set.of(QUOTA_REACHED, QUOTA_SUPPRESSED, ACKNOWLEDGED, RELEASED);

    /** A snapshot every this many entries; the two newest are kept. */
    public static final int SNAPSHOT_EVERY = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(Segment.class);

    /** What outlives the incarnations of one segment's journal child. */
    static final class Lifetime {
        /** 1 after the first recovery, more after restarts. */
        private int recoveries;
        /** Bounded entries counted instead of written since the quota was reached; changes only once a write is durable. */
        private FoldedAttempts suppressed;
    }

    private final Part segment;
    private final String meterId;
    private final String persistenceId;
    private final SegmentQuota quota;
    private final Consumer<PolicyMessage> toOwner;
    private final Consumer<SegmentCommand> toPort;
    private final JournalHealth health;
    private final Lifetime lifetime;
    /** Immutable, and only what is durable: it is also the snapshot. */
    private State state = State.empty();
    /** The answers to the batch whose snapshot is being stored; the port sends nothing new meanwhile. */
    private Runnable afterSnapshot;

    private Segment(Part segment, String meterId, SegmentQuota quota, Consumer<PolicyMessage> toOwner,
                    Consumer<SegmentCommand> toPort, JournalHealth health, Lifetime lifetime) {
        this.segment = segment;
        this.meterId = meterId;
        this.persistenceId = persistenceId(segment, meterId).id();
        this.quota = quota;
        this.toOwner = toOwner;
        this.toPort = toPort;
        this.health = health;
        this.lifetime = lifetime;
    }

    static Props props(Part segment, String meterId, SegmentQuota quota, Consumer<PolicyMessage> toOwner,
                       Consumer<SegmentCommand> toPort, JournalHealth health, Lifetime lifetime) {
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        return Props.create(Segment.class, () -> {
            CONSTRUCTING.set(segment);
            try {
                return new Segment(segment, meterId, quota, toOwner, toPort, health, lifetime);
            } finally {
                CONSTRUCTING.remove();
            }
        });
    }

    /**
     * The segment of the actor being constructed: Pekko's constructor asks for the plugin ids before this
     * class's fields are set.
     */
    private static final ThreadLocal<Part> CONSTRUCTING = new ThreadLocal<>();

    private Part segment() {
        return segment != null ? segment : CONSTRUCTING.get();
    }

    @Override
    public String persistenceId() {
        return persistenceId;
    }

    @Override
    public String journalPluginId() {
        return journalPluginId(segment());
    }

    @Override
    public String snapshotPluginId() {
        return snapshotPluginId(segment());
    }

    @Override
    public Receive createReceiveRecover() {
        return receiveBuilder()
                .match(SnapshotOffer.class, offer -> state = (State) offer.snapshot())
                .match(Entry.class, e -> state = state.after(e))
                .match(RecoveryCompleted.class, done -> {
                    if (++lifetime.recoveries > 1) {
                        health.resumed(persistenceId);
                    }
                    toPort.accept(new JournalReady(state.entries(), lifetime.recoveries));
                })
                .build();
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Batch.class, this::write)
                .match(SaveSnapshotSuccess.class, saved -> {
                    // keep the two newest snapshots
                    long upTo = saved.metadata().sequenceNr() - 2L * SNAPSHOT_EVERY;
                    if (upTo > 0) {
                        deleteSnapshots(SnapshotSelectionCriteria.create(upTo, Long.MAX_VALUE));
                    }
                    snapshotDone();
                })
                .match(SaveSnapshotFailure.class, failed -> {
                    // a missed snapshot only lengthens the next recovery
                    LOG.debug("{}: snapshot not saved", persistenceId, failed.cause());
                    snapshotDone();
                })
                .match(DeleteSnapshotsSuccess.class, deleted -> { })
                .match(DeleteSnapshotsFailure.class, failed -> LOG.debug("{}: old snapshots not deleted", persistenceId, failed.cause()))
                .build();
    }

    private void write(Batch batch) {
        Plan plan = plan(segment, meterId, quota, state, batch.commands(), lifetime.suppressed);
        if (plan.entries().isEmpty()) {
            // reads only (or refusals folded into a count): nothing is pending, so the state is durable already
            written(batch, plan);
            return;
        }
        Entry last = plan.entries().get(plan.entries().size() - 1);
        persistAll(plan.entries(), e -> {
            if (e == last) {
                written(batch, plan);
            }
        });
    }

    private void written(Batch batch, Plan plan) {
        long releasedBefore = state.released();
        boolean snapshot = plan.entries().stream().anyMatch(e -> e.seq() % SNAPSHOT_EVERY == 0);
        state = plan.after();
        lifetime.suppressed = plan.stillSuppressed();
        Runnable answer = () -> {
            plan.answers().forEach(a -> toOwner.accept(a.apply(state)));
            if (state.released() > releasedBefore) {
                toPort.accept(new ReleaseUpTo(state.released()));
            }
            batch.written().accept(new BatchWritten(batch.commands().size()));
        };
        if (snapshot) {
            // answer once the snapshot is stored (as typed event sourcing did): a confirmed boundary has its snapshot
            saveSnapshot(state);
            afterSnapshot = answer;
        } else {
            answer.run();
        }
    }

    private void snapshotDone() {
        Runnable answer = afterSnapshot;
        afterSnapshot = null;
        if (answer != null) {
            answer.run();
        }
    }

    // Each failure is logged at DEBUG only: JournalHealth tells the user once for all segments.

    @Override
    public void onPersistFailure(Throwable cause, Object event, long seqNr) {
        LOG.debug("{}: write of entry {} failed; restarting", persistenceId, seqNr, cause);
        health.failed(persistenceId);
    }

    @Override
    public void onPersistRejected(Throwable cause, Object event, long seqNr) {
        LOG.debug("{}: entry {} rejected; restarting", persistenceId, seqNr, cause);
        health.failed(persistenceId);
        // the entries after it were chained to it: start again from what is durable, as after a failure
        getContext().stop(getSelf());
    }

    @Override
    public void onRecoveryFailure(Throwable cause, scala.Option<Object> event) {
        LOG.debug("{}: recovery failed; restarting", persistenceId, cause);
        health.failed(persistenceId);
    }

    public static PersistenceId persistenceId(Part segment, String meterId) {
        return PersistenceId.of(journalName(segment), meterId, "|");
    }

    /** Computed once: the name is needed for every entry's hash, and the regex cost 7 % of a journal benchmark. */
    private static final Map<Part, String> JOURNAL_NAMES = new java.util.EnumMap<>(Part.class);

    static {
        for (Part p : Part.ofKind(Part.Kind.SEGMENT)) {
            JOURNAL_NAMES.put(p, p.name().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        }
    }

    /** metrology-log, security-log, off-switch-log, tariffs, credit-store, operational-parameters. */
    public static String journalName(Part segment) {
        String name = JOURNAL_NAMES.get(segment);
        if (name == null) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        return name;
    }

    public static String journalPluginId(Part segment) {
        return "hasm.journal." + journalName(segment);
    }

    /** hasm.snapshot.metrology-log, ...: each segment's snapshots in its own table too. */
    public static String snapshotPluginId(Part segment) {
        return "hasm.snapshot." + journalName(segment);
    }

    /**
     * What a batch writes: its entries in chain order, the state after them, the answers to the owner
     * (made from the state once the batch is durable, in command order), and the folded attempts after it.
     */
    private record Plan(List<Entry> entries, State after, List<Function<State, PolicyMessage>> answers,
                FoldedAttempts stillSuppressed) {
    }

    private static Plan plan(Part segment, String meterId, SegmentQuota quota, State before, List<SegmentCommand> commands,
                     FoldedAttempts suppressed) {
        List<Entry> entries = new ArrayList<>();
        List<Function<State, PolicyMessage>> answers = new ArrayList<>();
        // a copy: a failed write must not leave its counts behind
        FoldedAttempts tally = suppressed == null ? null : suppressed.copy();
        State state = before;
        for (SegmentCommand c : commands) {
            if (c instanceof ReadSegment r) {
                answers.add(durable -> new SegmentContents(segment, durable.entries(), durable.values(), r.correlation()));
                continue;
            }
            Optional<Unchained> u = entryFor(segment, meterId, c);
            if (u.isEmpty()) {
                continue;
            }
            List<Unchained> toWrite = new ArrayList<>(2);
            boolean counted = c instanceof AppendEntry a && a.retention() == Retention.BOUNDED
                    && !quota.admitsBounded(state.stored());
            if (counted) {
                AppendEntry a = (AppendEntry) c;
                if (tally == null) {
                    tally = new FoldedAttempts();
                    toWrite.add(u.get().note(QUOTA_REACHED, "max=" + quota.maxEntries() + " reserve=" + quota.reserve()
                            + "; refused attempts are counted from here on, not logged one by one"));
                }
                tally.add(a.time(), a.kind() + " " + a.detail());
                answers.add(durable -> new NotStored(segment, a.correlation()));
            } else {
                if (tally != null) {
                    toWrite.add(u.get().note(QUOTA_SUPPRESSED, tally.summary()));
                    tally = null;
                }
                toWrite.add(u.get());
            }
            Entry last = null;
            for (Unchained w : toWrite) {
                last = w.chain(state.entries() + 1, state.head());
                entries.add(last);
                state = state.after(last);
            }
            if (!counted) {
                Entry e = last;
                answers.add(durable -> new Persisted(segment, e.seq(), correlation(c), e.hash()));
            }
            Optional<Long> release = releasable(quota, state);
            if (release.isPresent()) {
                Entry e = u.get().note(RELEASED, Release.released(release.get(), state.boundaries().get(release.get())))
                        .chain(state.entries() + 1, state.head());
                entries.add(e);
                state = state.after(e);
            }
        }
        return new Plan(entries, state, answers, tally);
    }

    /**
     * The entry up to which this segment should release, if it needs room and may: the newest snapshot
     * boundary that the central system has acknowledged. Never beyond the acknowledgement, so a reading
     * that was not acknowledged is never released, whatever the quota.
     */
    private static Optional<Long> releasable(SegmentQuota quota, State state) {
        if (state.stored() < quota.maxEntries() - quota.reserve()) {
            return Optional.empty();
        }
        return state.boundaries().keySet().stream()
                .filter(b -> b > state.released() && b <= state.acknowledged())
                .max(Long::compare);
    }

    /** An entry's contents before it has its place in the chain. */
    private record Unchained(String meterId, String segment, long time, String kind, String key, String value) {
        /** The segment's own note at the same time, e.g. that its quota was reached. */
        Unchained note(String noteKind, String detail) {
            return new Unchained(meterId, segment, time, noteKind, "", detail);
        }

        Entry chain(long seq, byte[] previous) {
            return new Entry(seq, time, kind, key, value, previous,
                    EntryHash.of(meterId, segment, seq, time, kind, key, value, previous));
        }
    }

    /** What a command writes; empty for reads and for writes of the wrong kind for this segment. */
    private static Optional<Unchained> entryFor(Part segment, String meterId, SegmentCommand c) {
        String name = journalName(segment);
        if (c instanceof AppendEntry a && segment.isLog() && !OWN_KINDS.contains(a.kind())) {
            return Optional.of(new Unchained(meterId, name, a.time(), a.kind(), a.key(), a.detail()));
        } else if (c instanceof RecordAcknowledgement r && segment == Part.MetrologyLog) {
            return Optional.of(new Unchained(meterId, name, r.time(), ACKNOWLEDGED, "", Release.acknowledged(r.upToSeq())));
        } else if (c instanceof StoreTariffs s && segment == Part.Tariffs) {
            return Optional.of(new Unchained(meterId, name, s.time(), "store", s.key(), s.value()));
        } else if (c instanceof StoreCredit s && segment == Part.CreditStore) {
            return Optional.of(new Unchained(meterId, name, s.time(), "store", s.key(), s.value()));
        } else if (c instanceof StoreParameters s && segment == Part.OperationalParameters) {
            return Optional.of(new Unchained(meterId, name, s.time(), "store", s.key(), s.value()));
        }
        return Optional.empty();
    }

    private static long correlation(SegmentCommand c) {
        if (c instanceof AppendEntry a) {
            return a.correlation();
        } else if (c instanceof RecordAcknowledgement r) {
            return r.correlation();
        } else if (c instanceof StoreTariffs s) {
            return s.correlation();
        } else if (c instanceof StoreCredit s) {
            return s.correlation();
        } else if (c instanceof StoreParameters s) {
            return s.correlation();
        }
        throw new IllegalArgumentException("not a write: " + c);
    }
}

package org.hasm.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.time.Duration;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Retention;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.RecordAcknowledgement;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.persistence.SegmentMessages.StoreCredit;
import org.hasm.persistence.SegmentMessages.StoreParameters;
import org.hasm.persistence.SegmentMessages.StoreTariffs;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * One memory segment of one meter, event sourced with persistence id {@code <segment>|<meterId>} on
 * its own journal plugin {@code hasm.journal.<segment>}, so one segment's volume can never reach
 * another's storage. Its {@link SegmentPort} hands it one batch at a time and the whole batch is one
 * journal write; the segment then confirms each entry to its owner, in order.
 */
public final class Segment extends EventSourcedBehavior<Segment.Batch, Segment.Entry, Segment.State> {

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
     * Immutable: Pekko applies events to the state before the write is confirmed and keeps the empty
     * state across restarts, so a mutable state carried the effects of failed writes into the retry.
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

    private final Part segment;
    private final String meterId;
    private final Consumer<PolicyMessage> toOwner;
    private final Consumer<SegmentCommand> toPort;
    private final SegmentQuota quota;
    private final JournalHealth health;
    /**
     * Bounded entries counted instead of written since the segment reached its quota, null if none. Like
     * {@code recoveries} it outlives restarts of the journal child; it changes only once a write is confirmed.
     */
    private FoldedAttempts suppressed;
    /** 1 after the first start; more after restarts (this object outlives the restarts of the behaviour it makes). */
    private int recoveries;
    private static final Duration RESTART_MIN = Duration.ofMillis(200);
    private static final Duration RESTART_MAX = Duration.ofSeconds(10);

    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        this(segment, meterId, toOwner, ready -> { });
    }

    /**
     * @param toPort told when entries were released, and when the journal child is ready, first at start
     *               and again after every restart: a
     *               write that fails (database down) restarts the child with backoff instead of stopping it
     */
    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner, Consumer<SegmentCommand> toPort) {
        this(segment, meterId, SegmentQuota.UNLIMITED, toOwner, toPort, JournalHealth.ignoring());
    }

    /**
     * @param quota  how many entries this segment of this meter may hold ({@link SegmentQuota})
     * @param health told when this segment's journal fails and when it recovers
     */
    public Segment(Part segment, String meterId, SegmentQuota quota, Consumer<PolicyMessage> toOwner,
                   Consumer<SegmentCommand> toPort, JournalHealth health) {
        // Each failure is logged at DEBUG only: JournalHealth tells the user once for all segments.
        super(persistenceId(segment, meterId), SupervisorStrategy.restartWithBackoff(RESTART_MIN, RESTART_MAX, 0.2)
                .withLogLevel(org.slf4j.event.Level.DEBUG));
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        this.segment = segment;
        this.meterId = meterId;
        this.toOwner = toOwner;
        this.toPort = toPort;
        this.quota = quota;
        this.health = health;
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

    @Override
    public String journalPluginId() {
        return journalPluginId(segment);
    }

    /** hasm.snapshot.metrology-log, ...: each segment's snapshots in its own table too. */
    public static String snapshotPluginId(Part segment) {
        return "hasm.snapshot." + journalName(segment);
    }

    @Override
    public String snapshotPluginId() {
        return snapshotPluginId(segment);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> {
                    if (++recoveries > 1) {
                        health.resumed(persistenceId().id());
                    }
                    toPort.accept(new JournalReady(state.entries(), recoveries));
                })
                .onSignal(PreRestart.class, (state, restart) -> health.failed(persistenceId().id()))
                .onSignal(RecoveryFailed.class, (state, failed) -> health.failed(persistenceId().id()))
                .build();
    }

    @Override
    public State emptyState() {
        return State.empty();
    }

    @Override
    public CommandHandler<Batch, Entry, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Batch.class, this::write).build();
    }

    private Effect<Entry, State> write(State before, Batch batch) {
        Plan plan = plan(segment, meterId, quota, before, batch.commands(), suppressed);
        long releasedBefore = before.released();
        return Effect().persist(plan.entries()).thenRun(after -> {
            suppressed = plan.stillSuppressed();
            plan.answers().forEach(a -> toOwner.accept(a.apply(after)));
            if (after.released() > releasedBefore) {
                toPort.accept(new ReleaseUpTo(after.released()));
            }
            batch.written().accept(new BatchWritten(batch.commands().size()));
        });
    }

    /**
     * What a batch writes: its entries in chain order, the state after them, the answers to the owner
     * (made from the state once the batch is durable, in command order), and the folded attempts after it.
     */
    record Plan(List<Entry> entries, State after, List<Function<State, PolicyMessage>> answers,
                FoldedAttempts stillSuppressed) {
    }

    static Plan plan(Part segment, String meterId, SegmentQuota quota, State before, List<SegmentCommand> commands,
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

    @Override
    public EventHandler<State, Entry> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::after);
    }
}

package org.hasm.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.time.Duration;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.persistence.SegmentMessages.AppendEntry;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.persistence.SegmentMessages.ReadSegment;
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
    public record State(long entries, byte[] head, Map<String, String> values) implements JournalSerializable {
        public State {
            values = Map.copyOf(values);
        }

        static State empty() {
            return new State(0, EntryHash.genesis(), Map.of());
        }

        State after(Entry e) {
            if (e.key().isEmpty()) {
                return new State(e.seq(), e.hash(), values);
            }
            Map<String, String> next = new HashMap<>(values);
            next.put(e.key(), e.value());
            return new State(e.seq(), e.hash(), next);
        }
    }

    /** A snapshot every this many entries; the two newest are kept. */
    public static final int SNAPSHOT_EVERY = 1_000;

    private final Part segment;
    private final String meterId;
    private final Consumer<PolicyMessage> toOwner;
    private final Consumer<JournalReady> toPort;
    /** 1 after the first start; more after restarts (this object outlives the restarts of the behaviour it makes). */
    private int recoveries;
    private static final Duration RESTART_MIN = Duration.ofMillis(200);
    private static final Duration RESTART_MAX = Duration.ofSeconds(10);

    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        this(segment, meterId, toOwner, ready -> { });
    }

    /**
     * @param toPort told when the journal child is ready, first at start and again after every restart: a
     *               write that fails (database down) restarts the child with backoff instead of stopping it
     */
    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner, Consumer<JournalReady> toPort) {
        super(persistenceId(segment, meterId), SupervisorStrategy.restartWithBackoff(RESTART_MIN, RESTART_MAX, 0.2));
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        this.segment = segment;
        this.meterId = meterId;
        this.toOwner = toOwner;
        this.toPort = toPort;
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
                .onSignal(RecoveryCompleted.instance(), state -> toPort.accept(new JournalReady(state.entries(), ++recoveries)))
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
        List<Entry> entries = new ArrayList<>();
        long seq = before.entries();
        byte[] head = before.head();
        for (SegmentCommand c : batch.commands()) {
            Optional<Unchained> u = entryFor(c);
            if (u.isPresent()) {
                Entry e = u.get().chain(++seq, head);
                entries.add(e);
                head = e.hash();
            }
        }
        return Effect().persist(entries).thenRun(after -> {
            int next = 0;
            for (SegmentCommand c : batch.commands()) {
                if (c instanceof ReadSegment r) {
                    toOwner.accept(new SegmentContents(segment, after.entries(), after.values(), r.correlation()));
                } else if (entryFor(c).isPresent()) {
                    Entry e = entries.get(next++);
                    toOwner.accept(new Persisted(segment, e.seq(), correlation(c), e.hash()));
                }
            }
            batch.written().accept(new BatchWritten(batch.commands().size()));
        });
    }

    /** An entry's contents before it has its place in the chain. */
    private record Unchained(String meterId, String segment, long time, String kind, String key, String value) {
        Entry chain(long seq, byte[] previous) {
            return new Entry(seq, time, kind, key, value, previous,
                    EntryHash.of(meterId, segment, seq, time, kind, key, value, previous));
        }
    }

    /** What a command writes; empty for reads and for writes of the wrong kind for this segment. */
    private Optional<Unchained> entryFor(SegmentCommand c) {
        String name = journalName(segment);
        if (c instanceof AppendEntry a && segment.isLog()) {
            return Optional.of(new Unchained(meterId, name, a.time(), a.kind(), "", a.detail()));
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

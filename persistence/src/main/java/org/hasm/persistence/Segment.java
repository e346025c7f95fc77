package org.hasm.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.persistence.typed.PersistenceId;
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

    /** To the port, on its own kernel channel: the batch is durable and the next one may go. */
    public record BatchWritten(int commands) implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /** Entries so far, the chain head and, for value segments, the latest value per key. */
    public static final class State {
        long entries;
        byte[] head = EntryHash.genesis();
        final Map<String, String> values = new HashMap<>();
    }

    private final Part segment;
    private final String meterId;
    private final Consumer<PolicyMessage> toOwner;

    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        super(persistenceId(segment, meterId));
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        this.segment = segment;
        this.meterId = meterId;
        this.toOwner = toOwner;
    }

    public static PersistenceId persistenceId(Part segment, String meterId) {
        return PersistenceId.of(journalName(segment), meterId, "|");
    }

    /** metrology-log, security-log, off-switch-log, tariffs, credit-store, operational-parameters. */
    public static String journalName(Part segment) {
        return segment.name().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    public static String journalPluginId(Part segment) {
        return "hasm.journal." + journalName(segment);
    }

    @Override
    public String journalPluginId() {
        return journalPluginId(segment);
    }

    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public CommandHandler<Batch, Entry, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Batch.class, this::write).build();
    }

    private Effect<Entry, State> write(State before, Batch batch) {
        List<Entry> entries = new ArrayList<>();
        long seq = before.entries;
        byte[] head = before.head;
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
                    toOwner.accept(new SegmentContents(segment, after.entries, after.values, r.correlation()));
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
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> {
            state.entries = e.seq();
            state.head = e.hash();
            if (!e.key().isEmpty()) {
                state.values.put(e.key(), e.value());
            }
            return state;
        });
    }
}

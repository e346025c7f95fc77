package org.hasm.persistence;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
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
 * another's storage. It answers only its owner, through the channel the kernel gave it.
 */
public final class Segment extends EventSourcedBehavior<SegmentCommand, Segment.Entry, Segment.State> {

    /** One journal entry. {@code key} is set for value segments, empty for logs. */
    public record Entry(long time, String kind, String key, String value) implements JournalSerializable {
    }

    /** Entries so far and, for value segments, the latest value per key. */
    public static final class State {
        long entries;
        final Map<String, String> values = new HashMap<>();
    }

    private final Part segment;
    private final Consumer<PolicyMessage> toOwner;

    public Segment(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        super(persistenceId(segment, meterId));
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        this.segment = segment;
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
    public CommandHandler<SegmentCommand, Entry, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(AppendEntry.class, this::appendIfLog)
                .onCommand(StoreTariffs.class, c -> store(MessageType.StoreTariffs, c.time(), c.key(), c.value(), c.correlation()))
                .onCommand(StoreCredit.class, c -> store(MessageType.StoreCredit, c.time(), c.key(), c.value(), c.correlation()))
                .onCommand(StoreParameters.class, c -> store(MessageType.StoreParameters, c.time(), c.key(), c.value(), c.correlation()))
                .onCommand(ReadSegment.class, (state, c) -> {
                    toOwner.accept(new SegmentContents(segment, state.entries, state.values, c.correlation()));
                    return Effect().none();
                })
                .build();
    }

    private org.apache.pekko.persistence.typed.javadsl.Effect<Entry, State> appendIfLog(AppendEntry c) {
        if (!segment.isLog()) {
            return Effect().unhandled();
        }
        return Effect().persist(new Entry(c.time(), c.kind(), "", c.detail()))
                .thenRun(state -> toOwner.accept(new Persisted(segment, state.entries, c.correlation())));
    }

    private org.apache.pekko.persistence.typed.javadsl.Effect<Entry, State> store(MessageType type, long time, String key,
                                                                                  String value, long correlation) {
        if (!writeTypeOf(segment).equals(type)) {
            return Effect().unhandled();
        }
        return Effect().persist(new Entry(time, "store", key, value))
                .thenRun(state -> toOwner.accept(new Persisted(segment, state.entries, correlation)));
    }

    private static MessageType writeTypeOf(Part segment) {
        return switch (segment) {
            case Tariffs -> MessageType.StoreTariffs;
            case CreditStore -> MessageType.StoreCredit;
            case OperationalParameters -> MessageType.StoreParameters;
            default -> MessageType.AppendEntry;
        };
    }

    @Override
    public EventHandler<State, Entry> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> {
            state.entries++;
            if (!e.key().isEmpty()) {
                state.values.put(e.key(), e.value());
            }
            return state;
        });
    }
}

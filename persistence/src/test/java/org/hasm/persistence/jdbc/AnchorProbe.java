package org.hasm.persistence.jdbc;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.hasm.persistence.JournalSerializable;

/**
 * An actor shaped like the central system's anchor ledger (actors module, {@code AnchorLedger}): persistence
 * id {@code anchors|<meterId>} on a central-system journal, one event per signed chain head, serialized
 * like the ledger's ({@link JournalSerializable}, Jackson CBOR). Unlike the ledger it also snapshots every
 * {@link #SNAPSHOT_EVERY} events, to show the journal's snapshot store is its own too.
 */
final class AnchorProbe extends EventSourcedBehavior<AnchorProbe.Command, AnchorProbe.AnchorRecorded, AnchorProbe.State> {
    static final int SNAPSHOT_EVERY = 3;

    interface Command {
    }

    record Record(String segment, long seq, byte[] head, ActorRef<Long> replyTo) implements Command {
    }

    record Get(ActorRef<State> replyTo) implements Command {
    }

    record AnchorRecorded(String segment, long seq, long time, byte[] head) implements JournalSerializable {
    }

    record State(List<AnchorRecorded> anchors) implements JournalSerializable {
        State {
            anchors = List.copyOf(anchors);
        }

        State with(AnchorRecorded a) {
            List<AnchorRecorded> next = new ArrayList<>(anchors);
            next.add(a);
            return new State(next);
        }
    }

    private final JournalStore.Journal journal;

    AnchorProbe(JournalStore.Journal journal, String meterId) {
        super(PersistenceId.of("anchors", meterId, "|"));
        this.journal = journal;
    }

    @Override
    public String journalPluginId() {
        return journal.journalPluginId();
    }

    @Override
    public String snapshotPluginId() {
        return journal.snapshotPluginId();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 2);
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    @Override
    public CommandHandler<Command, AnchorRecorded, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Record.class, (state, c) -> Effect()
                        .persist(new AnchorRecorded(c.segment(), c.seq(), 1_000 * c.seq(), c.head()))
                        .thenReply(c.replyTo(), s -> (long) s.anchors().size()))
                .onCommand(Get.class, (state, c) -> Effect().reply(c.replyTo(), state))
                .build();
    }

    @Override
    public EventHandler<State, AnchorRecorded> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::with);
    }
}

package org.hasm.persistence.jdbc;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * A minimal event-sourced actor on a segment's journal and snapshot store, snapshotting every second
 * event, to show the snapshot tables work (Segment itself takes no snapshots yet). Its state is the
 * events so far, joined; a command "?" answers with it, anything else is persisted and acknowledged.
 */
final class SnapshotProbe extends EventSourcedBehavior<SnapshotProbe.Command, String, String> {
    record Command(String text, ActorRef<String> replyTo) {
    }

    private final Part segment;

    SnapshotProbe(Part segment, String id) {
        super(PersistenceId.of("snapshot-probe", id, "|"));
        this.segment = segment;
    }

    @Override
    public String journalPluginId() {
        return Segment.journalPluginId(segment);
    }

    @Override
    public String snapshotPluginId() {
        return JournalStore.snapshotPluginId(segment);
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(2, 1);
    }

    @Override
    public String emptyState() {
        return "";
    }

    @Override
    public CommandHandler<Command, String, String> commandHandler() {
        return newCommandHandlerBuilder().forAnyState().onCommand(Command.class, (state, c) -> c.text().equals("?")
                ? Effect().reply(c.replyTo(), state)
                : Effect().persist(c.text()).thenReply(c.replyTo(), s -> "ok")).build();
    }

    @Override
    public EventHandler<String, String> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state.isEmpty() ? e : state + "," + e);
    }
}

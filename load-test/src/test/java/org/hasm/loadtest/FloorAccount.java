package org.hasm.loadtest;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.persistence.JournalSerializable;

/**
 * The floor under a {@link MeterAccount}, for {@link StackFloorBenchmark}: a sharded, event-sourced entity on the
 * same journal that persists each frame as it comes, unopened, and then confirms it. What it costs is what Pekko
 * sharding, typed persistence and pekko-persistence-jdbc cost before any of hasm's own work (opening the frame,
 * billing, acknowledgements, the memory of deliveries).
 */
final class FloorAccount extends EventSourcedBehavior<FloorAccount.Deliver, FloorAccount.Received, FloorAccount.Count> {
    static final EntityTypeKey<Deliver> TYPE_KEY = EntityTypeKey.create(Deliver.class, "FloorAccount");

    record Deliver(long deliveryId, byte[] frame, ActorRef<FrameDelivered> replyTo) {
    }

    /** The frame as received: about the size of a {@link MeterAccount.ReadingReceived} in CBOR. */
    record Received(byte[] frame) implements JournalSerializable {
    }

    /** Mutable, owned by the entity. */
    static final class Count {
        long frames;
    }

    FloorAccount(String meterId) {
        super(PersistenceId.of(TYPE_KEY.name(), meterId, "|"));
    }

    @Override
    public String journalPluginId() {
        return MeterAccount.JOURNAL;
    }

    @Override
    public String snapshotPluginId() {
        return MeterAccount.SNAPSHOTS;
    }

    @Override
    public Count emptyState() {
        return new Count();
    }

    @Override
    public CommandHandler<Deliver, Received, Count> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Deliver.class, d -> Effect().persist(new Received(d.frame()))
                        .thenRun(s -> d.replyTo().tell(new FrameDelivered(d.deliveryId()))))
                .build();
    }

    @Override
    public EventHandler<Count, Received> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((count, received) -> {
            count.frames++;
            return count;
        });
    }
}

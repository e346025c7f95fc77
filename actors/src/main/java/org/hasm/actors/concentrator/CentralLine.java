package org.hasm.actors.concentrator;

import java.util.Objects;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;

/**
 * The concentrator's line to the central system, both ways, on the concentrator's node: its deliveries go to
 * the central system's inbox with the line as the one to confirm to, and the accounts' confirmations and
 * frames for meters come back through it. An account's frame for its meter and its confirmation of a
 * delivery therefore reach the concentrator in the order the account sent them when both come straight
 * from the account (one process). Between nodes the frames pass a {@code DownlinkRouter} first, so the
 * line counts them ({@link Synced#framesToMeters}) for whoever needs to know that none is on the way.
 */
public final class CentralLine {
    private CentralLine() {
    }

    /**
     * Wiring, once the concentrator and the central system exist (each is made with this line as its link):
     * on a concentrator node the inbox is the central system's, found in the cluster.
     */
    public record Connect(ActorRef<Object> concentrator, ActorRef<DeliverFrame> inbox) implements NoSerializationVerificationNeeded {
        public Connect {
            Objects.requireNonNull(concentrator, "concentrator");
            Objects.requireNonNull(inbox, "inbox");
        }
    }

    /** Answered once everything the line received before it has been passed on. */
    public record Sync(ActorRef<Synced> replyTo) implements WireMessage {
    }

    /** @param framesToMeters frames from the accounts passed on to the concentrator so far */
    public record Synced(long framesToMeters) implements WireMessage {
    }

    /** What reaches the line from the concentrator before it is connected waits, at most this many. */
    private static final int WAITING = 100_000;

    public static Behavior<Object> create() {
        return Behaviors.withStash(WAITING, stash -> Behaviors.setup(context -> Behaviors.receive(Object.class)
                .onMessage(Connect.class, c -> stash.unstashAll(connected(c.inbox(), c.concentrator(), context.getSelf().narrow())))
                .onMessage(Sync.class, sync -> {
                    sync.replyTo().tell(new Synced(0));
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build()));
    }

    private static Behavior<Object> connected(ActorRef<DeliverFrame> inbox, ActorRef<Object> concentrator,
                                              ActorRef<FrameDelivered> self) {
        long[] framesToMeters = {0};
        return Behaviors.receive(Object.class)
                .onMessage(DeliverFrame.class, d -> {
                    inbox.tell(new DeliverFrame(d.deliveryId(), d.meterId(), d.frame(), self));
                    return Behaviors.same();
                })
                .onMessage(FrameDelivered.class, d -> {
                    concentrator.tell(d);
                    return Behaviors.same();
                })
                .onMessage(FrameForMeter.class, f -> {
                    concentrator.tell(f);
                    framesToMeters[0]++;
                    return Behaviors.same();
                })
                .onMessage(Sync.class, sync -> {
                    sync.replyTo().tell(new Synced(framesToMeters[0]));
                    return Behaviors.same();
                })
                .build();
    }
}

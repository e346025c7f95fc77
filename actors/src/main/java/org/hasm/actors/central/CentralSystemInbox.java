package org.hasm.actors.central;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;

/**
 * Where the concentrator delivers frames: routes each to the sharded {@link MeterAccount} of the meter it
 * names. The account opens it, so a wrong name only gets the frame refused there; the account answers
 * {@link FrameDelivered} once the outcome is persisted.
 */
public final class CentralSystemInbox {
    private CentralSystemInbox() {
    }

    public static Behavior<DeliverFrame> create(ActorRef<ShardingEnvelope<MeterAccount.Command>> accounts) {
        return Behaviors.setup(context -> Behaviors.receive(DeliverFrame.class)
                .onMessage(DeliverFrame.class, d -> {
                    if (d.meterId() == null || d.meterId().isBlank() || d.frame() == null) {
                        context.getLog().warn("delivery {} names no meter or carries no frame: refused", d.deliveryId());
                        d.replyTo().tell(new FrameDelivered(d.deliveryId()));
                    } else {
                        accounts.tell(new ShardingEnvelope<>(d.meterId(),
                                new MeterAccount.FromConcentrator(d.deliveryId(), d.frame(), d.replyTo())));
                    }
                    return Behaviors.same();
                })
                .build());
    }
}

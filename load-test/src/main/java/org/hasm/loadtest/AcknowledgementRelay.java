package org.hasm.loadtest;

import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;

/**
 * Where the accounts' {@link FrameDelivered} go in a load test: the delivery id is passed on to the generator's
 * recorder, which only timestamps it (no blocking here).
 */
final class AcknowledgementRelay {
    private AcknowledgementRelay() {
    }

    static Behavior<FrameDelivered> create(LongConsumer acknowledged) {
        return Behaviors.receive(FrameDelivered.class)
                .onMessage(FrameDelivered.class, d -> {
                    acknowledged.accept(d.deliveryId());
                    return Behaviors.same();
                })
                .build();
    }
}

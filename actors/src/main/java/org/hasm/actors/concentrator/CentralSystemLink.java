package org.hasm.actors.concentrator;

import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.persistence.JournalSerializable;

/**
 * The concentrator's uplink to the central system: store-and-forward of the meters' opaque frames. The
 * central system answers {@link FrameDelivered} only once the frame is persisted in the meter's account,
 * so unanswered deliveries are the concentrator's backpressure credit.
 */
public final class CentralSystemLink {
    private CentralSystemLink() {
    }

    /** One frame a meter sealed for the central system, as the concentrator relays it. */
    public record DeliverFrame(long deliveryId, String meterId, byte[] frame, ActorRef<FrameDelivered> replyTo)
            implements JournalSerializable {
    }

    /** The frame of {@code deliveryId} is in the central system's journal (accepted or recorded as refused). */
    public record FrameDelivered(long deliveryId) implements JournalSerializable {
    }
}

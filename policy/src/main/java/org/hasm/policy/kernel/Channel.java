package org.hasm.policy.kernel;

import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.policy.Part;

/**
 * One allowed outgoing edge of a part, handed to it by the kernel at wiring time. Sending stamps the
 * kernel's capability on the message; the receiving guard still checks the message type against the
 * policy, so holding a channel grants no more than the policy does.
 */
public final class Channel<M extends PolicyMessage> {
    private final Capability capability;
    private final ActorRef<Envelope> target;

    Channel(Capability capability, ActorRef<Envelope> target) {
        this.capability = capability;
        this.target = target;
    }

    public void send(M message) {
        Activity activity = capability.issuer().activity();
        if (capability.receiver().isInternal()) {
            activity.begin(); // ended by the receiving guard once the message is handled or dropped
        } else {
            activity.sentOut(capability.receiver());
        }
        target.tell(new Envelope(capability, message.messageType(), message));
    }

    public Part sender() {
        return capability.sender();
    }

    public Part receiver() {
        return capability.receiver();
    }

    @Override
    public String toString() {
        return "Channel[" + capability.sender() + " -> " + capability.receiver() + "]";
    }
}

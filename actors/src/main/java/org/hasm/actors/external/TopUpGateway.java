package org.hasm.actors.external;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/** The prepaid top-up interface (keypad or card reader): passes the consumer's token to the meter. */
public final class TopUpGateway {
    /** The consumer enters a token bought from the supplier. */
    public record Enter(byte[] token) {
    }

    private TopUpGateway() {
    }

    public static Behavior<Enter> create(Channel<PolicyMessage> toMeter) {
        return Behaviors.receiveMessage(e -> {
            toMeter.send(new TopUpTokenFrame(e.token()));
            return Behaviors.same();
        });
    }
}

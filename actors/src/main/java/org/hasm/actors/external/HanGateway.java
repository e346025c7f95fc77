package org.hasm.actors.external;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The consumer's home-area-network gateway: the far side of the meter's data diode (P7). It only
 * receives (consumption, tariff, credit, appliance switching) and hands each message to the home,
 * e.g. a wall display; it holds no channel into the meter, so it has no way to send anything back.
 */
public final class HanGateway {
    private HanGateway() {
    }

    public static Behavior<Envelope> create(Consumer<PolicyMessage> home) {
        return Behaviors.receiveMessage(e -> {
            if (e.payload() instanceof PolicyMessage m) {
                home.accept(m);
            }
            return Behaviors.same();
        });
    }
}

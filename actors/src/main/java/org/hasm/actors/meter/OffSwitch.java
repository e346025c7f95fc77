package org.hasm.actors.meter;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.Actuate;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The breaker. It obeys OffSwitchSecurity only (P2: the guard lets nothing else in) and has no
 * outgoing flow; whether power flows is a physical fact, reported to {@code supply}.
 */
public final class OffSwitch {
    /** The breaker sends nothing. */
    static final Needs NEEDS = Needs.of(Part.OffSwitch);

    private OffSwitch() {
    }

    public static Behavior<PolicyMessage> create(Consumer<Boolean> supply) {
        return Wiring.await(w -> Behaviors.receive(PolicyMessage.class)
                .onMessage(Actuate.class, a -> {
                    supply.accept(a.closed());
                    return Behaviors.same();
                })
                .build());
    }
}

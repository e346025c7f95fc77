package org.hasm.actors.external;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.GenerationReading;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/** The household's PV inverter: reports generated energy to the smart meter. */
public final class LocalGeneration {
    /** Energy generated up to {@code at}, in watt-hours. */
    public record Generated(long at, long wattHours) {
    }

    private LocalGeneration() {
    }

    public static Behavior<Generated> create(Channel<PolicyMessage> toMeter) {
        return Behaviors.receiveMessage(g -> {
            toMeter.send(new GenerationReading(g.at(), g.wattHours()));
            return Behaviors.same();
        });
    }
}

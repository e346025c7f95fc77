package org.hasm.actors.external;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.GasReading;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/** The household's gas meter: sends its readings to the smart meter, which forwards them sealed to the central system. */
public final class OtherUtilityMeter {
    /** Gas used up to {@code at}, in litres. */
    public record Read(long at, long litres) {
    }

    private OtherUtilityMeter() {
    }

    public static Behavior<Read> create(Channel<PolicyMessage> toMeter) {
        return Behaviors.receiveMessage(r -> {
            toMeter.send(new GasReading(r.at(), r.litres()));
            return Behaviors.same();
        });
    }
}

package org.hasm.actors.meter;

import java.util.List;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.ClockSync;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The meter's clock: turns the oscillator's time into Ticks for every part that needs time. A
 * correction arrives only from CsSecurity, which has verified and logged it; the Clock still refuses
 * one larger than the configured bound (defence in depth: a corrupted CsSecurity cannot move time far).
 */
public final class Clock {
    /** Ticks to every part that measures, stamps or shows the time; DcSecurity gets them too if the policy lets it. */
    static final Needs NEEDS = Needs.of(Part.Clock)
            .sends(Part.Metrology, MessageType.Tick).sends(Part.Computations, MessageType.Tick)
            .sends(Part.CreditBalance, MessageType.Tick).sends(Part.CsSecurity, MessageType.Tick)
            .sends(Part.OffSwitchSecurity, MessageType.Tick).sends(Part.Display, MessageType.Tick);

    private final List<Channel<PolicyMessage>> listeners;
    private final long maxCorrectionMs;
    private long offsetMs;

    private Clock(Wiring wiring, MeterConfig config) {
        this.listeners = wiring.channels().keySet().stream().sorted().map(wiring::to).toList();
        this.maxCorrectionMs = config.maxClockCorrection().toMillis();
    }

    public static Behavior<PolicyMessage> create(MeterConfig config) {
        return Wiring.await(w -> new Clock(w, config).running());
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(TimeSignal.class, t -> {
                    lastSignal = t.now();
                    Tick tick = new Tick(t.now() + offsetMs, t.closing());
                    for (Channel<PolicyMessage> c : listeners) {
                        if (c.receiver() != Part.Clock) {
                            c.send(tick);
                        }
                    }
                    return Behaviors.same();
                })
                .onMessage(ClockSync.class, s -> {
                    long correction = s.correctedNow() - (lastSignal + offsetMs);
                    if (Math.abs(correction) <= maxCorrectionMs) {
                        offsetMs += correction;
                    }
                    return Behaviors.same();
                })
                .build();
    }

    private long lastSignal;
}

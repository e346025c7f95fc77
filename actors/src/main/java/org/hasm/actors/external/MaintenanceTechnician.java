package org.hasm.actors.external;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.TechnicianRequest;
import org.hasm.actors.meter.MeterSignals.TechnicianResponse;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The local maintenance technician's tool: presents a central-system-signed, time-limited credential
 * with each request and shows the meter's answers. It receives the meter's answers as envelopes
 * from Communications and takes visits from whoever drives the simulation.
 */
public final class MaintenanceTechnician {
    /** The tool is plugged into the meter's maintenance port. */
    public record Plugged(Channel<PolicyMessage> toMeter) {
    }

    /** A visit: the credential the central system issued, and what the technician asks for. */
    public record Visit(byte[] credential, String request) {
    }

    private MaintenanceTechnician() {
    }

    /** The technician's side of the meter's maintenance interface; visits before it is plugged in go nowhere. */
    public static Behavior<Object> create(Consumer<TechnicianResponse> screen) {
        Channel<?>[] port = new Channel<?>[1];
        return Behaviors.receive(Object.class)
                .onMessage(Plugged.class, p -> {
                    port[0] = p.toMeter();
                    return Behaviors.same();
                })
                .onMessage(Visit.class, v -> {
                    if (port[0] != null) {
                        @SuppressWarnings("unchecked")
                        Channel<PolicyMessage> toMeter = (Channel<PolicyMessage>) port[0];
                        toMeter.send(new TechnicianRequest(v.credential(), v.request()));
                    }
                    return Behaviors.same();
                })
                .onMessage(Envelope.class, e -> {
                    if (e.payload() instanceof TechnicianResponse r) {
                        screen.accept(r);
                    }
                    return Behaviors.same();
                })
                .build();
    }
}

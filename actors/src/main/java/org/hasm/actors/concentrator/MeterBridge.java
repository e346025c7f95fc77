package org.hasm.actors.concentrator;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The concentrator's end of the meters' kernel channels on a meters node, when the {@link DataConcentrator}
 * runs on another node (docs/cluster.md). A capability is proof only inside the process of the kernel that
 * issued it, so the check the concentrator makes on an envelope (P4: only Communications speaks outside
 * the meter) is made here, and only the payload crosses. On the way back each payload goes in through the
 * channel the meter's kernel gave the concentrator, so the meter's guard still checks every frame.
 */
public final class MeterBridge {
    private MeterBridge() {
    }

    /**
     * Up: a payload a meter's Communications sent the concentrator, checked here by {@code bridge}, which the
     * concentrator counts it against ({@link DataConcentrator.GetBridgeTally}).
     */
    public record FromMeter(
            ActorRef<ToMeter> bridge,
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
            @JsonSubTypes({@JsonSubTypes.Type(value = FrameToCentralSystem.class, name = "frame"),
                    @JsonSubTypes.Type(value = SwitchReport.class, name = "switch-report"),
                    @JsonSubTypes.Type(value = AggregationShare.class, name = "share")})
            PolicyMessage payload) implements WireMessage {
        public FromMeter {
            Objects.requireNonNull(bridge, "bridge");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /** Down: a payload the concentrator sends meter {@code meterId}'s Communications. */
    public record ToMeter(
            String meterId,
            @JsonTypeInfo(use = JsonTypeInfo.Id.NAME)
            @JsonSubTypes({@JsonSubTypes.Type(value = FrameFromCentralSystem.class, name = "frame"),
                    @JsonSubTypes.Type(value = SwitchCommandFrame.class, name = "switch-command"),
                    @JsonSubTypes.Type(value = AggregationRound.class, name = "round")})
            PolicyMessage payload) implements WireMessage {
        public ToMeter {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(payload, "payload");
        }
    }

    /**
     * Wiring on the meters node: the channel meter {@code meterId}'s kernel gave the concentrator. The bridge
     * attaches the meter to the concentrator as member {@code meterIndex} of {@code group}, ahead of anything
     * the meter sends it.
     */
    public record Attach(String meterId, String group, int meterIndex, Channel<PolicyMessage> communications)
            implements NoSerializationVerificationNeeded {
        public Attach {
            Objects.requireNonNull(meterId, "meterId");
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(communications, "communications");
        }
    }

    /**
     * What the bridge has done, read by the simulation's driver on the same node to tell when nothing is
     * under way: each is counted after the tell or send it stands for.
     *
     * @param envelopes every envelope the meters sent the concentrator
     * @param forwarded those passed on to the concentrator ({@link DataConcentrator.BridgeTally#received})
     * @param delivered payloads from the concentrator handed to a meter's channel ({@link DataConcentrator.BridgeTally#sent})
     */
    public record Counters(LongAdder envelopes, LongAdder forwarded, LongAdder delivered) {
        public static Counters fresh() {
            return new Counters(new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    /** @param concentrator where the meters' payloads go */
    public static Behavior<Object> create(ActorRef<Object> concentrator, Counters counters) {
        return Behaviors.setup(context -> {
            Map<String, Channel<PolicyMessage>> meters = new HashMap<>();
            return Behaviors.receive(Object.class)
                    .onMessage(Envelope.class, e -> {
                        if (e.capability() == null || e.capability().sender() != Part.Communications) {
                            context.getLog().warn("an envelope from {} for the concentrator dropped: only Communications "
                                    + "speaks outside the meter (P4)", e.capability() == null ? "nobody" : e.capability().sender());
                        } else if (e.payload() instanceof FrameToCentralSystem || e.payload() instanceof SwitchReport
                                || e.payload() instanceof AggregationShare) {
                            concentrator.tell(new FromMeter(context.getSelf().narrow(), (PolicyMessage) e.payload()));
                            counters.forwarded().increment();
                        } else {
                            context.getLog().warn("a {} for the concentrator dropped: not one it takes from meters",
                                    e.payload().getClass().getSimpleName());
                        }
                        counters.envelopes().increment();
                        return Behaviors.same();
                    })
                    .onMessage(Attach.class, a -> {
                        meters.put(a.meterId(), a.communications());
                        concentrator.tell(new DataConcentrator.AttachBridgedMeter(a.meterId(), a.group(), a.meterIndex(),
                                context.getSelf().narrow()));
                        return Behaviors.same();
                    })
                    .onMessage(ToMeter.class, t -> {
                        Channel<PolicyMessage> channel = meters.get(t.meterId());
                        if (channel == null) {
                            context.getLog().warn("a {} for meter {}, which is not on this node, dropped",
                                    t.payload().getClass().getSimpleName(), t.meterId());
                        } else {
                            channel.send(t.payload());
                        }
                        counters.delivered().increment();
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}

package org.hasm.actors.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterParts;
import org.hasm.actors.meter.MeterSignals.Actuate;
import org.hasm.actors.meter.MeterSignals.PrepaidModeChange;
import org.hasm.actors.meter.MeterSignals.TariffUpdate;
import org.hasm.actors.meter.MeterSignals.TopUp;
import org.hasm.actors.meter.MeterSignals.ZeroCredit;
import org.hasm.actors.meter.Tariff;
import org.hasm.actors.meter.Wiring;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.SegmentQuota;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The timeline's compromised modules (DESIGN 4): per household at most one part the attacker holds, which
 * keeps a copy of the channels its kernel gives it, and later sends on them what the policy does not allow.
 */
final class Compromise {
    private final ActorSystem<Void> system;
    private final FlowPolicy policy;
    /** Per household: the part a compromised-module event names. */
    private final Map<Integer, Part> compromisedParts = new HashMap<>();
    /** Per household: the channels its kernel gave that part. */
    private final Map<Integer, AtomicReference<Wiring>> leakedWiring = new ConcurrentHashMap<>();
    /** Per compromised household: its breaker openings when it was compromised. */
    private final Map<Integer, Integer> compromisedSince = new HashMap<>();
    private long compromisedSends;

    /** Notes in {@code notes} a second compromised module of a meter: one per meter in a run. */
    Compromise(ActorSystem<Void> system, FlowPolicy policy, List<Scenario.TimelineEvent> timeline, List<String> notes) {
        this.system = system;
        this.policy = policy;
        for (Scenario.TimelineEvent e : timeline) {
            if (e.action() instanceof Action.CompromisedModule m) {
                Part earlier = compromisedParts.putIfAbsent(m.meter(), m.part());
                if (earlier != null && earlier != m.part()) {
                    notes.add("meter " + m.meter() + " has one compromised module in this run (" + earlier + "), not " + m.part());
                }
            }
        }
    }

    /** Meter {@code meter}'s parts: {@code parts}, with the compromised one (if any) leaking its channels. */
    MeterParts parts(int meter, MeterParts parts) {
        Part part = compromisedParts.get(meter);
        return part == null ? parts : leaking(parts, part, meter);
    }

    /** Off-policy messages a compromised part may try (DESIGN 4): open the breaker, mint credit, leave prepaid, zero the tariff. */
    private static List<PolicyMessage> offPolicyAttempts(long now) {
        return List.of(new Actuate(false), new TopUp(100_000_000L, Long.MAX_VALUE, now), new ZeroCredit(now),
                new PrepaidModeChange(false, now), new TariffUpdate(Tariff.flat(0), now));
    }

    /**
     * The compromised part sends what the policy does not allow on every channel its kernel gave it inside the
     * meter, and raw messages around the kernel to the breaker and the credit balance: the guards must drop each one.
     *
     * @param switchOffs the meter's breaker openings so far
     */
    void attack(int meter, Part part, Meter.Handle handle, int switchOffs, long now) {
        if (compromisedParts.get(meter) != part) {
            return; // one compromised module per meter: noted when the neighbourhood was made
        }
        Wiring wiring = leakedWiring.get(meter).get();
        if (wiring == null) {
            throw new IllegalStateException("the compromised " + part + " of " + handle.meterId() + " was never wired");
        }
        compromisedSince.putIfAbsent(meter, switchOffs);
        for (Map.Entry<Part, Channel<PolicyMessage>> channel : new TreeMap<>(wiring.channels()).entrySet()) {
            if (channel.getKey().kind() == Part.Kind.EXTERNAL) {
                continue; // outside the meter no guard of its kernel stands; the concentrator's own checks are elsewhere
            }
            for (PolicyMessage m : offPolicyAttempts(now)) {
                if (!policy.allows(part, channel.getKey(), m.messageType())) {
                    channel.getValue().send(m);
                    compromisedSends++;
                }
            }
        }
        org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
        for (Part target : List.of(Part.OffSwitch, Part.CreditBalance)) {
            classic.actorSelection(handle.meter().path().child(target.name()))
                    .tell(target == Part.OffSwitch ? new Actuate(false) : new TopUp(100_000_000L, Long.MAX_VALUE, now),
                            org.apache.pekko.actor.ActorRef.noSender());
            compromisedSends++;
        }
    }

    /** The meter's parts, with {@code part} keeping a copy of the channels its kernel gives it: the attacker's foothold. */
    private MeterParts leaking(MeterParts parts, Part part, int meter) {
        AtomicReference<Wiring> leak = new AtomicReference<>();
        leakedWiring.put(meter, leak);
        return new MeterParts() {
            @Override
            public Behavior<PolicyMessage> behaviour(Part p) {
                Behavior<PolicyMessage> real = parts.behaviour(p);
                return p != part ? real : Behaviors.intercept(() -> new BehaviorInterceptor<PolicyMessage, PolicyMessage>(PolicyMessage.class) {
                    @Override
                    public Behavior<PolicyMessage> aroundReceive(TypedActorContext<PolicyMessage> ctx, PolicyMessage msg,
                                                                 ReceiveTarget<PolicyMessage> target) {
                        if (msg instanceof Wiring w) {
                            leak.set(w);
                        }
                        return target.apply(ctx, msg);
                    }
                }, real);
            }

            @Override
            public SegmentQuota quota(Part segment) {
                return parts.quota(segment);
            }
        };
    }

    /** Off-policy messages the compromised modules sent (each must be a policy drop). */
    long compromisedSends() {
        return compromisedSends;
    }

    /** Household {@code meter}'s breaker openings when it was compromised, or null when it never was. */
    Integer switchOffsWhenCompromised(int meter) {
        return compromisedSince.get(meter);
    }
}

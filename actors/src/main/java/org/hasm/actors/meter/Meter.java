package org.hasm.actors.meter;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.PolicyViolationReport;
import org.hasm.persistence.SegmentPort;
import org.hasm.persistence.SegmentMessages;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.Kernel;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.kernel.Violation;
import org.hasm.policy.kernel.ViolationListener;
import org.hasm.policy.verify.RuleAttribution;

/**
 * One smart meter, assembled by its separation kernel from the policy: sixteen guarded child actors
 * (four components, six modules, six segments) wired with one channel per allowed edge. Modules on
 * processor P1 and OffSwitchSecurity on P2 run on separate dispatchers, so a flood on P1 cannot starve
 * P2. The meter answers its creator with a {@link Handle}: the channels through which the physical
 * world and the external parties may reach it, and nothing else.
 */
public final class Meter {
    public static final String P1_DISPATCHER = "hasm.dispatchers.p1";
    public static final String P2_DISPATCHER = "hasm.dispatchers.p2";

    /** The ways into a meter: per sending party and receiving part, the one channel the policy gives. */
    public record Handle(String meterId, Map<Part, Map<Part, Channel<PolicyMessage>>> inputs, ActorRef<Void> meter) {
        public Handle {
            inputs = Map.copyOf(inputs);
        }

        /** The channel from {@code sender} (Environment or an external party) to {@code receiver}. */
        public Channel<PolicyMessage> from(Part sender, Part receiver) {
            Channel<PolicyMessage> c = inputs.getOrDefault(sender, Map.of()).get(receiver);
            if (c == null) {
                throw new IllegalArgumentException(sender + " cannot reach " + receiver + " of meter " + meterId);
            }
            return c;
        }
    }

    /** Everything a meter is built from; the behaviours of its components and modules come from {@link MeterParts}. */
    /** @param activity shared by the meters of a simulation whose driver waits for them to be quiet */
    public record Blueprint(String meterId, FlowPolicy policy, MeterParts parts, Map<Part, ActorRef<Envelope>> externals,
                            RuleAttribution attribution, DropCounter drops, Activity activity) {
        /** @throws Needs.IncompletePolicyException if the policy lacks a flow a part needs: refused before it starts */
        public Blueprint {
            externals = Map.copyOf(externals);
            Needs.requireAllowedBy(policy);
        }

        public Blueprint(String meterId, FlowPolicy policy, MeterParts parts, Map<Part, ActorRef<Envelope>> externals,
                         RuleAttribution attribution, DropCounter drops) {
            this(meterId, policy, parts, externals, attribution, drops, Activity.none());
        }
    }

    private Meter() {
    }

    public static Behavior<Void> create(Blueprint blueprint, ActorRef<Handle> replyTo) {
        return Behaviors.setup(ctx -> {
            SecurityLogSink violations = new SecurityLogSink();
            Kernel kernel = new Kernel(blueprint.meterId(), blueprint.policy(), blueprint.attribution(), blueprint.drops(),
                    violations, blueprint.activity());
            Map<Part, ActorRef<Envelope>> refs = new EnumMap<>(Part.class);
            refs.putAll(blueprint.externals());

            // Components and modules first, so each segment can be given the channel back to its owner.
            for (Part part : Part.values()) {
                if (part.kind() == Part.Kind.COMPONENT || part.kind() == Part.Kind.MODULE) {
                    Behavior<PolicyMessage> inner = blueprint.parts().behaviour(part);
                    refs.put(part, ctx.spawn(kernel.guard(part, PolicyMessage.class, inner), part.name(), props(part)));
                }
            }
            for (Part part : Part.ofKind(Part.Kind.SEGMENT)) {
                Part owner = part.owner().orElseThrow();
                Channel<PolicyMessage> toOwner = kernel.channel(part, owner, refs.get(owner));
                Behavior<SegmentMessages.SegmentCommand> segment = SegmentPort.create(part, blueprint.meterId(),
                        blueprint.parts().quota(part), toOwner::send, kernel.activity());
                ActorRef<Envelope> port = ctx.spawn(kernel.guard(part, SegmentMessages.SegmentCommand.class, segment), part.name());
                Channel<PolicyMessage> toItself = kernel.channel(part, part, port);
                toItself.send(new SegmentMessages.PortWiring(toItself::send));
                refs.put(part, port);
            }
            violations.securityLogKeeper = kernel.channel(Part.CsSecurity, Part.CsSecurity, refs.get(Part.CsSecurity));

            for (Part part : Part.values()) {
                if (part.kind() == Part.Kind.COMPONENT || part.kind() == Part.Kind.MODULE) {
                    Map<Part, Channel<PolicyMessage>> channels = new EnumMap<>(Part.class);
                    for (Part receiver : blueprint.policy().receiversOf(part)) {
                        ActorRef<Envelope> target = refs.get(receiver);
                        if (target != null) {
                            channels.put(receiver, kernel.channel(part, receiver, target));
                        }
                    }
                    kernel.<PolicyMessage>channel(part, part, refs.get(part)).send(new Wiring(part, channels));
                }
            }

            Map<Part, Map<Part, Channel<PolicyMessage>>> inputs = new EnumMap<>(Part.class);
            for (Part sender : Part.values()) {
                if (!sender.isInternal()) {
                    for (Part receiver : blueprint.policy().receiversOf(sender)) {
                        if (receiver.isInternal()) {
                            inputs.computeIfAbsent(sender, s -> new EnumMap<>(Part.class))
                                    .put(receiver, kernel.channel(sender, receiver, refs.get(receiver)));
                        }
                    }
                }
            }
            replyTo.tell(new Handle(blueprint.meterId(), inputs, ctx.getSelf()));
            return Behaviors.empty();
        });
    }

    /**
     * Starts a meter as a top-level actor of {@code system} (outside any actor: a simulation driver, a
     * benchmark) and completes with its handle once it is assembled.
     */
    public static CompletionStage<Handle> start(ActorSystem<?> system, Blueprint blueprint) {
        CompletableFuture<Handle> handle = new CompletableFuture<>();
        ActorRef<Handle> reply = system.systemActorOf(Behaviors.<Handle>receiveMessage(h -> {
            handle.complete(h);
            return Behaviors.stopped();
        }), "handle-" + blueprint.meterId(), Props.empty());
        system.systemActorOf(create(blueprint, reply), "meter-" + blueprint.meterId(), Props.empty());
        return handle;
    }

    private static Props props(Part part) {
        return switch (part.processor()) {
            case P1 -> DispatcherSelector.fromConfig(P1_DISPATCHER);
            case P2 -> DispatcherSelector.fromConfig(P2_DISPATCHER);
            case NONE -> Props.empty();
        };
    }

    /** The kernel's report of a dropped message goes to CsSecurity, keeper of the SecurityLog, as its own message. */
    private static final class SecurityLogSink implements ViolationListener {
        volatile Channel<PolicyMessage> securityLogKeeper;

        @Override
        public void onViolation(Violation violation) {
            Channel<PolicyMessage> keeper = securityLogKeeper;
            if (keeper != null) {
                keeper.send(new PolicyViolationReport(violation));
            }
        }
    }
}

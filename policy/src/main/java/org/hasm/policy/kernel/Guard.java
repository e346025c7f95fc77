package org.hasm.policy.kernel;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.Flow;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.Rule;

/**
 * The separation kernel's check in front of one part. It intercepts every message (the intercepted
 * class is {@code Object}, so nothing bypasses it) and delivers only kernel-stamped envelopes whose
 * (sender, this part, type) the policy allows. Everything else is dropped without throwing, counted,
 * and reported; the part never sees it and keeps running.
 */
final class Guard<M extends PolicyMessage> extends BehaviorInterceptor<Object, M> {
    private static final int TYPES = MessageType.values().length;

    private final Kernel kernel;
    private final Part self;
    private final Class<M> protocol;
    /** This part's column of the policy, indexed by sender and type, shared with every guard of the part. */
    private final boolean[] inbound;

    Guard(Kernel kernel, Part self, Class<M> protocol) {
        super(Object.class);
        this.kernel = kernel;
        this.self = self;
        this.protocol = protocol;
        this.inbound = kernel.policy().inboundColumn(self);
    }

    @Override
    public Behavior<M> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<M> target) {
        try {
            return guarded(ctx, msg, target);
        } finally {
            // Only what a kernel's channel counted is ended, on that kernel's activity: a forged message never began.
            if (msg instanceof Envelope e && e.capability() != null && e.capability().receiver().isInternal()) {
                e.capability().issuer().activity().end();
            }
        }
    }

    private Behavior<M> guarded(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<M> target) {
        if (!(msg instanceof Envelope envelope)) {
            return drop(Rule.P1, DropReason.NO_ENVELOPE, null, msg);
        }
        Capability capability = envelope.capability();
        Object payload = envelope.payload();
        if (capability == null || capability.issuer() != kernel) {
            return drop(Rule.P1, DropReason.FORGED_CAPABILITY, null, payload);
        }
        Part sender = capability.sender();
        if (capability.receiver() != self) {
            return drop(Rule.P1, DropReason.MISROUTED, sender, payload);
        }
        // Only Channel.send makes envelopes with a genuine capability, and it takes the type from the payload.
        MessageType type = envelope.type();
        if (!protocol.isInstance(payload)) {
            return drop(Rule.P1, DropReason.NOT_IN_POLICY, sender, payload);
        }
        // A part's own messages (timers, completions it piped to itself) are not a flow between parts.
        if (sender != self && !inbound[sender.ordinal() * TYPES + type.ordinal()]) {
            Rule rule = kernel.attribution().ruleBrokenBy(new Flow(sender, self, type));
            return drop(rule, DropReason.NOT_IN_POLICY, sender, payload);
        }
        return deliver(ctx, target, payload);
    }

    /**
     * Hands on a payload already checked against the protocol class. Going through ReceiveTarget of Object
     * avoids a second interface type check per message, which on JDK 17-22 thrashes the per-class
     * secondary-supers cache (JDK-8180450) and cost about a tenth of the throughput in GuardBenchmark.
     */
    @SuppressWarnings("unchecked")
    private Behavior<M> deliver(TypedActorContext<Object> ctx, ReceiveTarget<M> target, Object payload) {
        ReceiveTarget<Object> untyped = (ReceiveTarget<Object>) (ReceiveTarget<?>) target;
        return (Behavior<M>) (Behavior<?>) untyped.apply(ctx, payload);
    }

    @Override
    public Behavior<M> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<M> target) {
        return target.apply(ctx, signal);
    }

    private Behavior<M> drop(Rule rule, DropReason reason, Part sender, Object payload) {
        MessageType type = payload instanceof PolicyMessage m ? m.messageType() : null;
        String payloadClass = payload == null ? "null" : payload.getClass().getSimpleName();
        kernel.dropped(new Violation(kernel.meterId(), rule, reason, sender, self, type, payloadClass));
        return Behaviors.same();
    }
}

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
    private final Kernel kernel;
    private final Part self;
    private final Class<M> protocol;

    Guard(Kernel kernel, Part self, Class<M> protocol) {
        super(Object.class);
        this.kernel = kernel;
        this.self = self;
        this.protocol = protocol;
    }

    @Override
    public Behavior<M> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<M> target) {
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
        if (!(payload instanceof PolicyMessage message) || !protocol.isInstance(payload)) {
            return drop(Rule.P1, DropReason.NOT_IN_POLICY, sender, payload);
        }
        // A part's own messages (timers, completions it piped to itself) are not a flow between parts.
        if (sender != self && !kernel.policy().allows(sender, self, message.messageType())) {
            Rule rule = kernel.attribution().ruleBrokenBy(new Flow(sender, self, message.messageType()));
            return drop(rule, DropReason.NOT_IN_POLICY, sender, payload);
        }
        return target.apply(ctx, protocol.cast(payload));
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

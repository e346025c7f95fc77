package org.hasm.policy.kernel;

import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.verify.RuleAttribution;

/**
 * One meter's separation kernel: it wraps each part in a {@link Guard} and wires the parts together
 * with {@link Channel}s, one per edge the policy allows (capability wiring, as in seL4/CAmkES). Parts
 * hold channels, never the kernel, so they cannot mint capabilities for themselves.
 */
public final class Kernel {
    private final String meterId;
    private final FlowPolicy policy;
    private final RuleAttribution attribution;
    private final DropCounter drops;
    private final ViolationListener listener;
    private final Activity activity;

    public Kernel(String meterId, FlowPolicy policy, ViolationListener listener) {
        this(meterId, policy, new RuleAttribution(policy), new DropCounter(), listener);
    }

    /** Many meters may share one attribution cache and one drop counter. */
    public Kernel(String meterId, FlowPolicy policy, RuleAttribution attribution, DropCounter drops,
                  ViolationListener listener) {
        this(meterId, policy, attribution, drops, listener, Activity.none());
    }

    /** @param activity told of every message on this kernel's channels, to know when the meters are quiet */
    public Kernel(String meterId, FlowPolicy policy, RuleAttribution attribution, DropCounter drops,
                  ViolationListener listener, Activity activity) {
        this.activity = Objects.requireNonNull(activity, "activity");
        this.meterId = Objects.requireNonNull(meterId, "meterId");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.attribution = Objects.requireNonNull(attribution, "attribution");
        this.drops = Objects.requireNonNull(drops, "drops");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The behaviour of {@code part} behind its guard; spawn it and wire channels to the resulting ref. */
    public <M extends PolicyMessage> Behavior<Envelope> guard(Part part, Class<M> protocol, Behavior<M> inner) {
        Behavior<Object> guarded = Behaviors.intercept(() -> new Guard<>(this, part, protocol), inner);
        return guarded.narrow();
    }

    /**
     * The channel for edge {@code sender -> receiver}. Wiring an edge the policy does not have is a
     * programming error in the assembly and fails at once rather than at the first message.
     */
    public <M extends PolicyMessage> Channel<M> channel(Part sender, Part receiver, ActorRef<Envelope> target) {
        if (sender != receiver && !policy.connects(sender, receiver)) {
            throw new IllegalArgumentException("the policy has no flow " + sender + " -> " + receiver + " to wire");
        }
        return new Channel<>(new Capability(this, sender, receiver), target);
    }

    public Activity activity() {
        return activity;
    }

    public DropCounter drops() {
        return drops;
    }

    public FlowPolicy policy() {
        return policy;
    }

    public String meterId() {
        return meterId;
    }

    RuleAttribution attribution() {
        return attribution;
    }

    void dropped(Violation violation) {
        drops.increment(violation.key());
        listener.onViolation(violation);
    }
}

package org.hasm.actors.meter;

import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The channels the kernel gives one part: one per receiver the policy lets it reach, nothing else. A
 * part starts unwired, keeps what arrives early, and becomes itself when its wiring arrives.
 */
public record Wiring(Part self, Map<Part, Channel<PolicyMessage>> channels) implements PolicyMessage {
    private static final int EARLY_MESSAGES = 10_000;

    public Wiring {
        channels = Map.copyOf(channels);
    }

    @Override
    public MessageType messageType() {
        return MessageType.KernelWiring;
    }

    /** The channel to {@code receiver}; asking for an edge the policy lacks is an assembly bug. */
    public Channel<PolicyMessage> to(Part receiver) {
        Channel<PolicyMessage> c = channels.get(receiver);
        if (c == null) {
            throw new IllegalStateException(self + " has no channel to " + receiver + " in this policy");
        }
        return c;
    }

    public boolean reaches(Part receiver) {
        return channels.containsKey(receiver);
    }

    /** A part's behaviour once wired; messages that arrive before the wiring are kept and replayed. */
    public static Behavior<PolicyMessage> await(Function<Wiring, Behavior<PolicyMessage>> wired) {
        return Behaviors.withStash(EARLY_MESSAGES, stash -> Behaviors.receive(PolicyMessage.class)
                .onMessage(Wiring.class, w -> stash.unstashAll(wired.apply(w)))
                .onAnyMessage(m -> {
                    stash.stash(m);
                    return Behaviors.same();
                })
                .build());
    }
}

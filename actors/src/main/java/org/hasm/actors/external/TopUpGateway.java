package org.hasm.actors.external;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/** The prepaid top-up interface (keypad or card reader): passes the consumer's token to the meter. */
public final class TopUpGateway {
    /** The consumer enters a token bought from the supplier. */
    public record Enter(byte[] token) {
    }

    /** What the neighbourhood's keypads take: a household enters {@code token} on the keypad of its meter. */
    public sealed interface Keypads permits EnterAt, Passed {
    }

    /**
     * The household whose meter {@code keypadOf} reaches enters {@code token}. Whoever sends it has begun one
     * piece of the meters' {@link Activity}; the keypads end it once the token is on its way to the meter.
     */
    public record EnterAt(Channel<PolicyMessage> keypadOf, byte[] token) implements Keypads {
    }

    /** Answered once every token entered before it is in its meter's mailbox. */
    public record Passed(ActorRef<Boolean> replyTo) implements Keypads {
    }

    private TopUpGateway() {
    }

    public static Behavior<Enter> create(Channel<PolicyMessage> toMeter) {
        return Behaviors.receiveMessage(e -> {
            toMeter.send(new TopUpTokenFrame(e.token()));
            return Behaviors.same();
        });
    }

    /**
     * Every household's keypad of a simulated neighbourhood as one actor: each meter still hears only its own
     * keypad's channel, and a neighbourhood of 10,000 meters does not need 10,000 more actors.
     *
     * @param activity the meters' activity: the hop through the keypads counts as under way until the
     *                 token's own message to Communications has begun
     */
    public static Behavior<Keypads> keypads(Activity activity) {
        return Behaviors.receive(Keypads.class)
                .onMessage(EnterAt.class, e -> {
                    e.keypadOf().send(new TopUpTokenFrame(e.token()));
                    activity.end();
                    return Behaviors.same();
                })
                .onMessage(Passed.class, p -> {
                    p.replyTo().tell(true);
                    return Behaviors.same();
                })
                .build();
    }
}

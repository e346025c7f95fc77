package org.hasm.actors.meter;

import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.SegmentMessages.ReadSegment;
import org.hasm.persistence.SegmentMessages.SegmentContents;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * An owner module starts by reading its value segment and holds every other message until the answer
 * is in: a top-up or a debit computed on a default value before the stored one arrived would overwrite
 * the stored credit after a restart.
 */
final class SegmentRecovery {
    private static final int HELD_MESSAGES = 10_000;

    private SegmentRecovery() {
    }

    static Behavior<PolicyMessage> readThen(Channel<PolicyMessage> segment, Part part,
                                            Function<SegmentContents, Behavior<PolicyMessage>> recovered) {
        segment.send(new ReadSegment(0));
        return Behaviors.withStash(HELD_MESSAGES, held -> Behaviors.receive(PolicyMessage.class)
                .onMessage(SegmentContents.class, c -> c.segment() == part, c -> held.unstashAll(recovered.apply(c)))
                .onAnyMessage(m -> {
                    held.stash(m);
                    return Behaviors.same();
                })
                .build());
    }
}

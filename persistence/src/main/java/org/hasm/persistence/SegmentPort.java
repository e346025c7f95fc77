package org.hasm.persistence;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The only address of a memory segment: the kernel guards this actor, and it hands commands to the
 * event-sourced {@link Segment} it owns as a child. The journal runtime talks to that child directly, so
 * the guard never has to let unauthenticated runtime messages through, and no part can ever address the
 * child (a forged "write failed" reply could otherwise stop a segment).
 */
public final class SegmentPort {
    private SegmentPort() {
    }

    public static Behavior<SegmentCommand> create(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        return Behaviors.setup(ctx -> {
            ActorRef<SegmentCommand> journal = ctx.spawn(new Segment(segment, meterId, toOwner), "journal");
            return Behaviors.receive(SegmentCommand.class)
                    .onAnyMessage(c -> {
                        journal.tell(c);
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}

package org.hasm.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.Segment.Batch;
import org.hasm.persistence.Segment.BatchWritten;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Activity;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The only address of a memory segment: the kernel guards this actor, and it hands commands to the
 * event-sourced {@link Segment} it owns as a child. The journal runtime talks to that child directly, so
 * the guard never has to let unauthenticated runtime messages through, and no part can ever address the
 * child (a forged "write failed" reply could otherwise stop a segment).
 *
 * <p>While one batch is being written, the port collects what arrives and sends it as the next batch:
 * one journal write per batch, and a flood of commands queues here instead of overflowing the
 * event-sourced actor's stash, which would drop entries silently. The port starts writing once it has
 * the channel to itself ({@link PortWiring}) on which the child reports each written batch.
 */
public final class SegmentPort {
    private ActorRef<Batch> journal;
    private Consumer<PolicyMessage> self;
    private List<SegmentCommand> waiting = new ArrayList<>();
    /** The batch being written, kept to send again if the journal child restarts before confirming it. */
    private List<SegmentCommand> inFlight;

    private SegmentPort() {
    }

    public static Behavior<SegmentCommand> create(Part segment, String meterId, Consumer<PolicyMessage> toOwner) {
        return create(segment, meterId, SegmentQuota.UNLIMITED, toOwner);
    }

    public static Behavior<SegmentCommand> create(Part segment, String meterId, SegmentQuota quota,
                                                  Consumer<PolicyMessage> toOwner) {
        return create(segment, meterId, quota, toOwner, Activity.none());
    }

    /**
     * @param activity every command the port takes is work under way until its batch is written and
     *                 answered, so a driver waiting for the meters to be quiet also waits for the journal
     */
    public static Behavior<SegmentCommand> create(Part segment, String meterId, SegmentQuota quota,
                                                  Consumer<PolicyMessage> toOwner, Activity activity) {
        return Behaviors.setup(ctx -> {
            SegmentPort port = new SegmentPort();
            port.journal = ctx.spawn(new Segment(segment, meterId, quota, toOwner, ready -> {
                Consumer<PolicyMessage> self = port.self; // null only before the port is wired, when nothing is in flight
                if (self != null) {
                    self.accept(ready);
                }
            }, JournalHealth.get(ctx.getSystem())), "journal");
            return Behaviors.receive(SegmentCommand.class)
                    .onMessage(PortWiring.class, w -> {
                        port.self = w.self();
                        port.flush();
                        return Behaviors.same();
                    })
                    .onMessage(BatchWritten.class, done -> {
                        // the answers to the batch were sent (and began) before this
                        for (int i = 0; i < port.inFlight.size(); i++) {
                            activity.end();
                        }
                        port.inFlight = null;
                        port.flush();
                        return Behaviors.same();
                    })
                    .onMessage(Segment.ReleaseUpTo.class, release -> {
                        JournalDeletion.deleteUpTo(ctx, segment, meterId, release.upToSeq());
                        return Behaviors.same();
                    })
                    .onMessage(Segment.JournalReady.class, ready -> {
                        if (ready.recovery() > 1 && port.inFlight != null) {
                            // The write failed and the child restarted: its stash is gone, send the batch again.
                            port.journal.tell(new Batch(port.inFlight, port.self::accept));
                        }
                        return Behaviors.same();
                    })
                    .onAnyMessage(c -> {
                        activity.begin();
                        port.waiting.add(c);
                        port.flush();
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private void flush() {
        if (self != null && inFlight == null && !waiting.isEmpty()) {
            inFlight = List.copyOf(waiting);
            journal.tell(new Batch(inFlight, self::accept));
            waiting = new ArrayList<>();
        }
    }
}

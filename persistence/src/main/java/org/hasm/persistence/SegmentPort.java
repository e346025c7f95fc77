package org.hasm.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.persistence.Segment.Batch;
import org.hasm.persistence.Segment.BatchWritten;
import org.hasm.persistence.SegmentMessages.PortWiring;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.policy.MessageType;
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
    private static final Duration RESTART_MIN = Duration.ofMillis(200);
    private static final Duration RESTART_MAX = Duration.ofSeconds(10);

    /** To the port from itself: start the next incarnation of the journal child, after its backoff. */
    private record Respawn() implements SegmentCommand {
        @Override
        public MessageType messageType() {
            return MessageType.Persisted;
        }
    }

    /** Tells the current incarnation of the journal child. */
    private Consumer<Batch> journal;
    /** Failures since the last confirmed write, for the backoff of the journal child. */
    private int failures;
    private boolean respawnWhenWired;
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
            Consumer<SegmentCommand> toPort = ready -> {
                Consumer<PolicyMessage> self = port.self; // null only before the port is wired, when nothing is in flight
                if (self != null) {
                    self.accept(ready);
                }
            };
            JournalHealth health = JournalHealth.get(ctx.getSystem());
            Segment.Lifetime lifetime = new Segment.Lifetime();
            Runnable spawnJournal = () -> {
                org.apache.pekko.actor.ActorRef child = Adapter.actorOf(ctx,
                        Segment.props(segment, meterId, quota, toOwner, toPort, health, lifetime), "journal");
                ctx.watch(Adapter.toTyped(child));
                port.journal = batch -> child.tell(batch, org.apache.pekko.actor.ActorRef.noSender());
            };
            spawnJournal.run();
            return Behaviors.receive(SegmentCommand.class)
                    .onSignal(Terminated.class, t -> {
                        // the journal child stops after a failed write: start the next one after a backoff
                        port.failures++;
                        if (port.self == null) {
                            port.respawnWhenWired = true;
                        } else {
                            port.scheduleRespawn(ctx);
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Respawn.class, r -> {
                        spawnJournal.run();
                        return Behaviors.same();
                    })
                    .onMessage(PortWiring.class, w -> {
                        port.self = w.self();
                        if (port.respawnWhenWired) {
                            port.respawnWhenWired = false;
                            port.scheduleRespawn(ctx);
                        }
                        port.flush();
                        return Behaviors.same();
                    })
                    .onMessage(BatchWritten.class, done -> {
                        // the answers to the batch were sent (and began) before this
                        for (int i = 0; i < port.inFlight.size(); i++) {
                            activity.end();
                        }
                        port.inFlight = null;
                        port.failures = 0;
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
                            port.journal.accept(new Batch(port.inFlight, port.self::accept));
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

    /** Exponential backoff, 200 ms to 10 s, with 20 % jitter. */
    private void scheduleRespawn(ActorContext<SegmentCommand> ctx) {
        long millis = Math.min(RESTART_MAX.toMillis(), RESTART_MIN.toMillis() << Math.min(failures - 1, 16));
        Duration delay = Duration.ofMillis((long) (millis * (1 + 0.2 * ThreadLocalRandom.current().nextDouble())));
        Consumer<PolicyMessage> channel = self;
        ctx.getSystem().scheduler().scheduleOnce(delay, () -> channel.accept(new Respawn()), ctx.getExecutionContext());
    }

    private void flush() {
        if (self != null && inFlight == null && !waiting.isEmpty()) {
            inFlight = List.copyOf(waiting);
            journal.accept(new Batch(inFlight, self::accept));
            waiting = new ArrayList<>();
        }
    }
}

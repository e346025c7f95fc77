package org.hasm.persistence;

import java.util.function.Consumer;
import org.apache.pekko.actor.Props;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.RecoveryCompleted;
import org.apache.pekko.persistence.SaveSnapshotFailure;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SnapshotOffer;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.hasm.persistence.Segment.Batch;
import org.hasm.persistence.Segment.BatchWritten;
import org.hasm.persistence.Segment.Entry;
import org.hasm.persistence.Segment.JournalReady;
import org.hasm.persistence.Segment.Plan;
import org.hasm.persistence.Segment.ReleaseUpTo;
import org.hasm.persistence.Segment.State;
import org.hasm.persistence.SegmentMessages.SegmentCommand;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.PolicyMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Segment} as a classic persistent actor: the same entries, state, snapshots and persistence id,
 * without typed event sourcing's per-message machinery (its effects, journal-response adapters and the
 * logging MDC it sets on every command and journal reply). A failed write stops it, as any persistent
 * actor; its {@link SegmentPort} starts the next incarnation with backoff.
 */
final class ClassicSegment extends AbstractPersistentActor {
    private static final Logger LOG = LoggerFactory.getLogger(ClassicSegment.class);

    /** What outlives the incarnations of one segment's journal child. */
    static final class Lifetime {
        /** 1 after the first recovery, more after restarts. */
        private int recoveries;
        /** Bounded entries counted instead of written since the quota was reached; changes only once a write is durable. */
        private FoldedAttempts suppressed;
    }

    private final Part segment;
    private final String meterId;
    private final String persistenceId;
    private final SegmentQuota quota;
    private final Consumer<PolicyMessage> toOwner;
    private final Consumer<SegmentCommand> toPort;
    private final JournalHealth health;
    private final Lifetime lifetime;
    /** Immutable, and only what is durable: it is also the snapshot. */
    private State state = State.empty();
    /** The answers to the batch whose snapshot is being stored; the port sends nothing new meanwhile. */
    private Runnable afterSnapshot;

    private ClassicSegment(Part segment, String meterId, SegmentQuota quota, Consumer<PolicyMessage> toOwner,
                           Consumer<SegmentCommand> toPort, JournalHealth health, Lifetime lifetime) {
        this.segment = segment;
        this.meterId = meterId;
        this.persistenceId = Segment.persistenceId(segment, meterId).id();
        this.quota = quota;
        this.toOwner = toOwner;
        this.toPort = toPort;
        this.health = health;
        this.lifetime = lifetime;
    }

    static Props props(Part segment, String meterId, SegmentQuota quota, Consumer<PolicyMessage> toOwner,
                       Consumer<SegmentCommand> toPort, JournalHealth health, Lifetime lifetime) {
        if (segment.kind() != Part.Kind.SEGMENT) {
            throw new IllegalArgumentException(segment + " is not a memory segment");
        }
        return Props.create(ClassicSegment.class, () -> {
            CONSTRUCTING.set(segment);
            try {
                return new ClassicSegment(segment, meterId, quota, toOwner, toPort, health, lifetime);
            } finally {
                CONSTRUCTING.remove();
            }
        });
    }

    /**
     * The segment of the actor being constructed: Pekko's constructor asks for the plugin ids before this
     * class's fields are set.
     */
    private static final ThreadLocal<Part> CONSTRUCTING = new ThreadLocal<>();

    private Part segment() {
        return segment != null ? segment : CONSTRUCTING.get();
    }

    @Override
    public String persistenceId() {
        return persistenceId;
    }

    @Override
    public String journalPluginId() {
        return Segment.journalPluginId(segment());
    }

    @Override
    public String snapshotPluginId() {
        return Segment.snapshotPluginId(segment());
    }

    @Override
    public Receive createReceiveRecover() {
        return receiveBuilder()
                .match(SnapshotOffer.class, offer -> state = (State) offer.snapshot())
                .match(Entry.class, e -> state = state.after(e))
                .match(RecoveryCompleted.class, done -> {
                    if (++lifetime.recoveries > 1) {
                        health.resumed(persistenceId);
                    }
                    toPort.accept(new JournalReady(state.entries(), lifetime.recoveries));
                })
                .build();
    }

    @Override
    public Receive createReceive() {
        return receiveBuilder()
                .match(Batch.class, this::write)
                .match(SaveSnapshotSuccess.class, saved -> {
                    // keep the two newest snapshots
                    long upTo = saved.metadata().sequenceNr() - 2L * Segment.SNAPSHOT_EVERY;
                    if (upTo > 0) {
                        deleteSnapshots(SnapshotSelectionCriteria.create(upTo, Long.MAX_VALUE));
                    }
                    snapshotDone();
                })
                .match(SaveSnapshotFailure.class, failed -> {
                    // a missed snapshot only lengthens the next recovery
                    LOG.debug("{}: snapshot not saved", persistenceId, failed.cause());
                    snapshotDone();
                })
                .match(DeleteSnapshotsSuccess.class, deleted -> { })
                .match(DeleteSnapshotsFailure.class, failed -> LOG.debug("{}: old snapshots not deleted", persistenceId, failed.cause()))
                .build();
    }

    private void write(Batch batch) {
        Plan plan = Segment.plan(segment, meterId, quota, state, batch.commands(), lifetime.suppressed);
        if (plan.entries().isEmpty()) {
            // reads only (or refusals folded into a count): nothing is pending, so the state is durable already
            written(batch, plan);
            return;
        }
        Entry last = plan.entries().get(plan.entries().size() - 1);
        persistAll(plan.entries(), e -> {
            if (e == last) {
                written(batch, plan);
            }
        });
    }

    private void written(Batch batch, Plan plan) {
        long releasedBefore = state.released();
        boolean snapshot = plan.entries().stream().anyMatch(e -> e.seq() % Segment.SNAPSHOT_EVERY == 0);
        state = plan.after();
        lifetime.suppressed = plan.stillSuppressed();
        Runnable answer = () -> {
            plan.answers().forEach(a -> toOwner.accept(a.apply(state)));
            if (state.released() > releasedBefore) {
                toPort.accept(new ReleaseUpTo(state.released()));
            }
            batch.written().accept(new BatchWritten(batch.commands().size()));
        };
        if (snapshot) {
            // as typed event sourcing does: answer once the snapshot is stored, so a confirmed boundary has one
            saveSnapshot(state);
            afterSnapshot = answer;
        } else {
            answer.run();
        }
    }

    private void snapshotDone() {
        Runnable answer = afterSnapshot;
        afterSnapshot = null;
        if (answer != null) {
            answer.run();
        }
    }

    // Each failure is logged at DEBUG only: JournalHealth tells the user once for all segments.

    @Override
    public void onPersistFailure(Throwable cause, Object event, long seqNr) {
        LOG.debug("{}: write of entry {} failed; restarting", persistenceId, seqNr, cause);
        health.failed(persistenceId);
    }

    @Override
    public void onPersistRejected(Throwable cause, Object event, long seqNr) {
        LOG.debug("{}: entry {} rejected; restarting", persistenceId, seqNr, cause);
        health.failed(persistenceId);
        // the entries after it were chained to it: start again from what is durable, as after a failure
        getContext().stop(getSelf());
    }

    @Override
    public void onRecoveryFailure(Throwable cause, scala.Option<Object> event) {
        LOG.debug("{}: recovery failed; restarting", persistenceId, cause);
        health.failed(persistenceId);
    }
}

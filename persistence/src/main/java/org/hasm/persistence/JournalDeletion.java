package org.hasm.persistence;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.hasm.policy.Part;

/**
 * Deletes a segment's released entries from its journal. Deleting by count alongside snapshots would also
 * delete readings the central system has not acknowledged; so this sends the journal a
 * {@code DeleteMessagesTo} with the bound chosen by {@link Segment} (a snapshot boundary the central system
 * acknowledged). Deletion runs after the {@code released} entry is durable; if it fails or the process
 * dies first, the entries simply stay, and the chain still verifies.
 */
final class JournalDeletion {
    private JournalDeletion() {
    }

    static void deleteUpTo(ActorContext<?> ctx, Part segment, String meterId, long upToSeq) {
        org.apache.pekko.actor.ActorRef journal = Persistence.get(Adapter.toClassic(ctx.getSystem()))
                .journalFor(Segment.journalPluginId(segment), ConfigFactory.empty());
        org.apache.pekko.actor.ActorRef receipt = Adapter.toClassic(ctx.spawnAnonymous(Behaviors.receive(Object.class)
                .onMessage(org.apache.pekko.persistence.DeleteMessagesFailure.class, failed -> {
                    ctx.getLog().warn("{} of meter {}: released entries up to {} stay in the journal: {}", segment, meterId,
                            upToSeq, failed.cause().getMessage());
                    return Behaviors.stopped();
                })
                .onAnyMessage(done -> Behaviors.stopped())
                .build()));
        journal.tell(new JournalProtocol.DeleteMessagesTo(Segment.persistenceId(segment, meterId).id(), upToSeq, receipt),
                org.apache.pekko.actor.ActorRef.noSender());
    }
}

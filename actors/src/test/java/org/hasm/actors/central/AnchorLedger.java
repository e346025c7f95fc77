package org.hasm.actors.central;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.JournalSerializable;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's journal of one meter's log anchors (docs/log-chain.md), on its own journal
 * {@code hasm.journal.central-anchors}, out of reach of the meter and the concentrator. It opens every
 * frame the meter sends (the frame counters are one sequence, so one opener must see them all) and
 * records each anchor whose signature verifies under the log key of the module that keeps the segment.
 * A test double: the meter's tests anchor against it without a cluster; in a run {@code MeterAccount} keeps
 * the anchors with the readings.
 */
public final class AnchorLedger extends EventSourcedBehavior<AnchorLedger.Command, AnchorLedger.AnchorRecorded, AnchorLedger.State> {
    /** Its journal; with a {@link JournalStore} (--data, --db) on table {@code central_anchors_journal}. */
    public static final String JOURNAL = "hasm.journal." + JournalStore.CENTRAL_ANCHORS;
    /** Its snapshot store, {@code hasm.snapshot.central-anchors}. */
    public static final String SNAPSHOTS = "hasm.snapshot." + JournalStore.CENTRAL_ANCHORS;

    public interface Command {
    }

    /** A frame CsSecurity sealed for the central system. */
    public record FromCsSecurity(byte[] frame) implements Command {
    }

    /** A report OffSwitchSecurity sealed for the central system. */
    public record FromOffSwitchSecurity(byte[] frame) implements Command {
    }

    /** The verified anchors of one segment, by sequence number. */
    public record GetAnchors(String segment, ActorRef<List<ChainVerifier.Anchor>> replyTo) implements Command {
    }

    /** How many anchors the ledger holds, all segments together. */
    public record CountAnchors(ActorRef<Integer> replyTo) implements Command {
    }

    public record AnchorRecorded(String segment, long seq, long time, byte[] head) implements JournalSerializable {
    }

    public static final class State {
        final Map<String, List<ChainVerifier.Anchor>> anchors = new HashMap<>();
    }

    private final ProvisionedMeter meter;

    public AnchorLedger(ProvisionedMeter meter) {
        super(PersistenceId.of("anchors", meter.meterId(), "|"));
        this.meter = meter;
    }

    @Override
    public String journalPluginId() {
        return JOURNAL;
    }

    /** Takes no snapshots yet; with a {@link JournalStore} its store is table {@code central_anchors_snapshot}. */
    @Override
    public String snapshotPluginId() {
        return SNAPSHOTS;
    }

    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public CommandHandler<Command, AnchorRecorded, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(FromCsSecurity.class, c -> record(anchorIn(meter.openFromMeter(c.frame()))
                        .filter(meter::anchorVerifiesFromCsSecurity)))
                .onCommand(FromOffSwitchSecurity.class, c -> record(anchorIn(meter.openSwitchReport(c.frame()))
                        .filter(a -> a.segment().equals("off-switch-log"))
                        .filter(meter::anchorVerifiesFromOffSwitchSecurity)))
                .onCommand(CountAnchors.class, (state, q) -> {
                    q.replyTo().tell(state.anchors.values().stream().mapToInt(List::size).sum());
                    return Effect().none();
                })
                .onCommand(GetAnchors.class, (state, q) -> {
                    q.replyTo().tell(List.copyOf(state.anchors.getOrDefault(q.segment(), List.of())));
                    return Effect().none();
                })
                .build();
    }

    private static Optional<SignedLogAnchor> anchorIn(Opened opened) {
        if (opened instanceof Opened.Ok ok && ok.kind() == FrameKind.LOG_ANCHOR) {
            return SignedLogAnchor.decode(ok.plaintext());
        }
        return Optional.empty();
    }

    private Effect<AnchorRecorded, State> record(Optional<SignedLogAnchor> anchor) {
        return anchor.<Effect<AnchorRecorded, State>>map(a -> Effect().persist(
                new AnchorRecorded(a.segment(), a.seq(), a.time(), a.head()))).orElseGet(() -> Effect().none());
    }

    @Override
    public EventHandler<State, AnchorRecorded> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> {
            state.anchors.computeIfAbsent(e.segment(), s -> new ArrayList<>()).add(new ChainVerifier.Anchor(e.seq(), e.head()));
            return state;
        });
    }
}

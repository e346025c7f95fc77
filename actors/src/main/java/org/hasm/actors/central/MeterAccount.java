package org.hasm.actors.central;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityContext;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.link.WireMessage;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.meter.Tariff;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.JournalSerializable;
import org.hasm.persistence.jdbc.JournalStore;

/**
 * The central system's account of one meter (DESIGN 8), a cluster-sharded entity ({@link #TYPE_KEY}, entity
 * id = meter id) on its own journal {@code hasm.journal.central-accounts}. It opens every frame the meter
 * sends, whichever module sealed it, and keeps readings, daily bills under the time-of-use tariff in force,
 * prepaid state, top-up tokens, signed commands and their acknowledgements, and the meter's log anchors.
 *
 * <p>Anchors are folded in here rather than kept by a ledger of their own: CsSecurity's readings and anchors
 * share one frame counter, and the opener refuses any counter not above the last one, so the one actor
 * that opens readings must open anchors too.
 *
 * <p>No key material is in its events: the keys come from the registry when the entity starts, and
 * {@link ProvisionedMeter#resumeAfter} moves their counters past what the journal holds.
 *
 * <p>The entity holds the pieces that do the work: {@link AccountState} (what the events add up to),
 * {@link FrameOpener} (what one inbound frame is, with {@link DailyBilling}) and {@link CommandIssuer}.
 */
public final class MeterAccount extends EventSourcedBehavior<MeterAccount.Command, MeterAccount.Event, AccountState> {
    public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "MeterAccount");
    /** Its journal; with a {@link JournalStore} on table {@code central_accounts_journal}. */
    public static final String JOURNAL = "hasm.journal." + JournalStore.CENTRAL_ACCOUNTS;
    public static final String SNAPSHOTS = "hasm.snapshot." + JournalStore.CENTRAL_ACCOUNTS;

    // ---- protocol ----

    public interface Command extends WireMessage {
    }

    /** A frame the concentrator relays; answered with {@link FrameDelivered} once its outcome is persisted. */
    public record FromConcentrator(long deliveryId, byte[] frame, ActorRef<FrameDelivered> replyTo) implements Command {
    }

    /** An ordinary command (not a switch command) signed with the fleet command key, for CsSecurity. */
    public record IssueCommand(CommandKind kind, String payload, long now, ActorRef<Issued> replyTo) implements Command {
    }

    /** A switch command signed with this meter's off-switch key; {@code requestId} names the operator request. */
    public record IssueSwitch(boolean on, long now, String requestId, ActorRef<Issued> replyTo) implements Command {
    }

    public record IssueTopUp(long amountCents, long now, ActorRef<TopUpIssued> replyTo) implements Command {
    }

    public record GetAccount(ActorRef<AccountView> replyTo) implements Command {
    }

    /** The account once its meter has answered at least {@code answers} switch commands (at once if it has). */
    public record GetAccountOnceSwitchesAnswered(int answers, ActorRef<AccountView> replyTo) implements Command {
    }

    /** The verified anchors of one segment, by sequence number. */
    public record GetAnchors(String segment, ActorRef<Anchors> replyTo) implements Command {
    }

    /** The answer to {@link GetAnchors}: a record, not a bare List, so it has a wire binding (docs/cluster.md). */
    public record Anchors(String segment, List<ChainVerifier.Anchor> anchors) implements WireMessage {
    }

    /** Asks the shard to stop this entity; the next message starts it again from its journal. */
    public record Passivate() implements Command {
    }

    /** A command issued ({@code refusal} null) or refused for bad input ({@code refusal} says why). */
    public record Issued(String meterId, CommandKind kind, long sequence, String refusal) implements WireMessage {
    }

    public record TopUpIssued(String meterId, long tokenId, long amountCents, byte[] token, String refusal)
            implements WireMessage {
    }

    public record DailyBill(long epochDay, long importWh, long exportWh, long costMilliCents, int readings)
            implements WireMessage {
    }

    /**
     * The account as the back office sees it. {@code refusals} counts refused frames per cause (the
     * {@link Opened.Reason} names, BAD_TAG being a tampered frame, plus MALFORMED_READING and BAD_ANCHOR);
     * {@code eventsReplayed} is how many events this incarnation recovered from the journal.
     */
    public record AccountView(String meterId, long readings, long lastReadingFrame, List<DailyBill> bills, DailyBill openDay,
                              boolean prepaid, long creditMilliCents, long topUpTokens, long commands, long switchCommands,
                              Map<Long, String> switchAcknowledgements, long acknowledgementsSent, long anchors,
                              Map<String, Long> refusals, long eventsReplayed, long lastReadingEnd) implements WireMessage {
    }

    // ---- events ----

    public sealed interface Event extends JournalSerializable {
    }

    /**
     * One reading: electricity (Wh, billed), gas (litres in {@code importWh}) or generation (Wh in
     * {@code exportWh}); {@code costMilliCents} under the tariff in force at the interval's start.
     */
    public record ReadingReceived(long frame, String commodity, long intervalStart, long intervalEnd, long importWh,
                                  long exportWh, long costMilliCents) implements Event {
    }

    /** The ACKNOWLEDGEMENT frame (its counter) that lets the meter release readings up to {@code readingsUntil}. */
    public record AcknowledgementSent(long frame, long readingsUntil) implements Event {
    }

    public record DailyBillIssued(DailyBill bill) implements Event {
    }

    /**
     * A verified anchor; {@code signed} is the meter's signed statement itself ({@code SignedLogAnchor} wire
     * form), kept so that {@code hasm replay verify} checks the signature again instead of trusting this event.
     */
    public record AnchorRecorded(SecurityModule channel, long frame, String segment, long seq, long time, byte[] head,
                                 byte[] signed) implements Event {
    }

    /** OffSwitchSecurity's result of switch command {@code sequence}. */
    public record SwitchAcknowledged(long frame, long sequence, String outcome, String text) implements Event {
    }

    /** Any other authentic report (events, alarms). */
    public record MeterReport(SecurityModule channel, long frame, FrameKind kind, String text) implements Event {
    }

    /** A refused frame; {@code frame} is its counter if it was authentic and fresh (its content was bad), else 0. */
    public record FrameRefused(SecurityModule channel, long frame, String cause, int bytes) implements Event {
    }

    public record CommandIssued(long sequence, CommandKind kind, String payload, long issuedAt, long frame) implements Event {
    }

    public record SwitchCommandIssued(long sequence, boolean on, long issuedAt, String requestId) implements Event {
    }

    public record TopUpTokenIssued(long tokenId, long amountCents, long issuedAt) implements Event {
    }

    // ---- behaviour ----

    private final ProvisionedMeter meter;
    private final Tariff initialTariff;
    private final ActorRef<FrameForMeter> downlink;
    private final ActorContext<Command> context;
    private final ActorRef<ClusterSharding.ShardCommand> shard;
    private final FrameOpener opener;
    private final CommandIssuer issuer;
    private boolean recovering = true;
    private long eventsReplayed;
    /** The last deliveries this incarnation persisted, so that a resent one is confirmed again, not taken twice. */
    private final DeliveryMemory persistedDeliveries = new DeliveryMemory(REMEMBERED_DELIVERIES);
    /** Who waits for the meter's answers to switch commands; not state: not persisted. */
    private final List<GetAccountOnceSwitchesAnswered> waitingForAnswers = new ArrayList<>();
    /** More than a concentrator's window (64 by default), so every resendable delivery is still known. */
    private static final int REMEMBERED_DELIVERIES = 256;

    private MeterAccount(ProvisionedMeter meter, Tariff initialTariff, int acknowledgeEvery, ActorRef<FrameForMeter> downlink,
                         ActorContext<Command> context, ActorRef<ClusterSharding.ShardCommand> shard) {
        super(PersistenceId.of(TYPE_KEY.name(), meter.meterId(), "|"));
        this.meter = meter;
        this.initialTariff = initialTariff;
        this.downlink = downlink;
        this.context = context;
        this.shard = shard;
        this.opener = new FrameOpener(meter, acknowledgeEvery, context);
        this.issuer = new CommandIssuer(meter, downlink);
    }

    /**
     * The entity for sharding's {@code Entity.of(TYPE_KEY, ...)}. A meter the registry does not know (it
     * returns null) gets an account that refuses every frame without a journal, so garbage ids cost nothing.
     */
    public static Behavior<Command> create(EntityContext<Command> entity, Function<String, ProvisionedMeter> registry,
                                           Tariff initialTariff, int acknowledgeEvery, ActorRef<FrameForMeter> downlink) {
        return Behaviors.setup(context -> {
            ProvisionedMeter meter = registry.apply(entity.getEntityId());
            if (meter == null) {
                return unprovisioned(entity.getEntityId());
            }
            return new MeterAccount(meter, initialTariff, acknowledgeEvery, downlink, context, entity.getShard());
        });
    }

    private static Behavior<Command> unprovisioned(String meterId) {
        String why = "meter '" + meterId + "' is not provisioned";
        return Behaviors.setup(context -> Behaviors.receive(Command.class)
                .onMessage(FromConcentrator.class, f -> {
                    context.getLog().warn("frame for {} refused: {}", meterId, why);
                    f.replyTo().tell(new FrameDelivered(f.deliveryId()));
                    return Behaviors.same();
                })
                .onMessage(IssueCommand.class, c -> {
                    c.replyTo().tell(new Issued(meterId, c.kind(), 0, why));
                    return Behaviors.same();
                })
                .onMessage(IssueSwitch.class, c -> {
                    context.getLog().warn("switch command refused: {}", why);
                    if (c.replyTo() != null) {
                        c.replyTo().tell(new Issued(meterId, c.on() ? CommandKind.SWITCH_ON : CommandKind.SWITCH_OFF, 0, why));
                    }
                    return Behaviors.same();
                })
                .onMessage(IssueTopUp.class, c -> {
                    c.replyTo().tell(new TopUpIssued(meterId, 0, c.amountCents(), new byte[0], why));
                    return Behaviors.same();
                })
                .onMessage(Passivate.class, p -> Behaviors.stopped())
                .build());
    }

    @Override
    public String journalPluginId() {
        return JOURNAL;
    }

    @Override
    public String snapshotPluginId() {
        return SNAPSHOTS;
    }

    @Override
    public AccountState emptyState() {
        return new AccountState(initialTariff);
    }

    @Override
    public SignalHandler<AccountState> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> {
            recovering = false;
            meter.resumeAfter(state.counters());
        }).build();
    }

    @Override
    public CommandHandler<Command, Event, AccountState> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(FromConcentrator.class, this::frame)
                .onCommand(IssueCommand.class, c -> issuer.command(Effect(), c))
                .onCommand(IssueSwitch.class, c -> issuer.switchCommand(Effect(), c))
                .onCommand(IssueTopUp.class, c -> issuer.topUp(Effect(), c))
                .onCommand(GetAccount.class, (state, q) -> Effect().reply(q.replyTo(), state.view(meter.meterId(), eventsReplayed)))
                .onCommand(GetAccountOnceSwitchesAnswered.class, (state, q) -> {
                    waitingForAnswers.add(q);
                    answerWaiting(state);
                    return Effect().none();
                })
                .onCommand(GetAnchors.class, (state, q) -> Effect().reply(q.replyTo(), new Anchors(q.segment(),
                        List.copyOf(state.anchors.getOrDefault(q.segment(), List.of())))))
                .onCommand(Passivate.class, p -> {
                    shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
                    return Effect().none();
                })
                .build();
    }

    /** A frame is opened once: a delivery the concentrator resends after it was persisted is only confirmed again. */
    private Effect<Event, AccountState> frame(AccountState state, FromConcentrator f) {
        byte[] digest = persistedDeliveries.digest(f.frame());
        if (persistedDeliveries.persisted(f.deliveryId(), digest)) {
            context.getLog().debug("meter {}: delivery {} again, already persisted: confirmed again", meter.meterId(),
                    f.deliveryId());
            return Effect().reply(f.replyTo(), new FrameDelivered(f.deliveryId()));
        }
        FrameOpener.Opening opening = opener.open(state, f.frame());
        byte[] acknowledgement = opening.acknowledgement();
        return Effect().persist(opening.events()).thenRun(s -> {
            if (acknowledgement != null) {
                downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.CS_SECURITY, acknowledgement, s.lastReadingEnd));
            }
            persistedDeliveries.remember(f.deliveryId(), digest);
            f.replyTo().tell(new FrameDelivered(f.deliveryId()));
            answerWaiting(s);
        });
    }

    /** A persisted frame may hold the answer to a switch command someone waits for. */
    private void answerWaiting(AccountState state) {
        if (waitingForAnswers.isEmpty()) {
            return;
        }
        int answers = state.switchAcknowledged.size();
        waitingForAnswers.removeIf(q -> {
            if (answers < q.answers()) {
                return false;
            }
            q.replyTo().tell(state.view(meter.meterId(), eventsReplayed));
            return true;
        });
    }

    @Override
    public EventHandler<AccountState, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, event) -> {
            if (recovering) {
                eventsReplayed++;
            }
            state.apply(event);
            return state;
        });
    }
}
